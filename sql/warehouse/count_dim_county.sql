-- Whether the reference dimensions have been loaded yet.
SELECT count(*) FROM core.dim_county;
