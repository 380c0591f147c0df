-- Public leaderboards are opt-in: a member's name appears only after they chose to show it.
-- Nobody has made that choice yet, so everybody starts off the boards.
alter table member_preferences add column leaderboard_shown boolean not null default false;
alter table member_preferences drop column leaderboard_hidden;
