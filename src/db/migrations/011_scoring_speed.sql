-- An award's record is inserted empty to take its lock, then written once its postings are decided:
-- room on each page lets that write stay on the page without a new index entry (a HOT update).
alter table award_postings set (fillfactor = 50);
