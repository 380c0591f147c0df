-- A batch's marks are thousands of distinct member ids, which compress poorly: trying to compress
-- them cost an import more PostgreSQL time than anything else it does beside COPY. Kept out of line, uncompressed.
alter table scoring_marks alter column members set storage external;
