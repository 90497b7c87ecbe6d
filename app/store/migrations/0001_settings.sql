-- Settings are the app's own key/value preferences (field mappings, defaults, last refresh times).
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
