-- The database's identity and the search outbox's acknowledged position. The search index records both; a
-- server that finds an index of another database, or of another point of this one's history (a restored
-- backup), rebuilds it at start. `passerelle restore` gives the restored database a new identity.
INSERT INTO settings (key, value) VALUES ('database_id', {{random_id}});
INSERT INTO settings (key, value) VALUES ('search_acknowledged', '0');
