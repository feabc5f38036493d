-- Placeholder for the catalog rework's 0004 (another branch): drop this file at merge.
SELECT 1;
