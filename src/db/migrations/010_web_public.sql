-- Pages that read across all members: analytics by period, public leaderboards.

-- Points by period (analytics, leaderboards) scan awards by time rather than by member.
create index awards_time on awards (at);
