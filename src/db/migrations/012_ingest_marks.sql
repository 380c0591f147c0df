-- Members marked for scoring by an ingested batch, one row per batch: appending one row costs a
-- batch far less than upserting (and so locking) a queue row per member. A scoring pass folds
-- these rows into scoring_queue before it claims; a row becomes visible with the batch's events.
create table scoring_marks (
  id       bigint generated always as identity primary key,
  members  bigint[] not null
);
