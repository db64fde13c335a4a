-- A database as plugboard-server wrote it at schema_version 2 (before linked accounts had
-- per-field credential hints, OAuth token expiry, re-link and OAuth state in connect
-- sessions): made by that server through its API (POST /integrations, connect sessions that
-- linked two BambooHR accounts and one HubSpot account) and dumped with `sqlite3 .dump`. Left
-- out are the API keys and what was encrypted with the database's key file;
-- test-server-migrate writes those with a key file of its own:
--   integration 1111… bamboohr/api_key   (account fields api_key, subdomain)
--   integration 3333… hubspot/oauth2     config client_id, scopes
--   account acc_e467… (Globex Ltd, BambooHR)  credentials {"api_key", "subdomain"}
--   account acc_0ede… (Initech, BambooHR)     none
--   account acc_5018… (Umbrella Health, HubSpot) none
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (  key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version','2');
CREATE TABLE projects (  id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,  region TEXT NOT NULL, created_at INTEGER NOT NULL);
INSERT INTO projects VALUES('prj_ec4a3866188eeace92c8','Acme HR','growth','eu1',1796557835930);
CREATE TABLE api_keys (  key_id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),  role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),  salt TEXT NOT NULL, hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE integrations (  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL REFERENCES projects (id), name TEXT NOT NULL,  connector_key TEXT NOT NULL, auth_type_key TEXT NOT NULL,  active INTEGER NOT NULL, is_default INTEGER NOT NULL, config TEXT NOT NULL,  version INTEGER NOT NULL, fingerprint TEXT,  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, oauth_app TEXT);
INSERT INTO integrations VALUES(1,'11111111-1111-4111-8111-111111111111','prj_ec4a3866188eeace92c8','BambooHR – UK','bamboohr','api_key',1,1,'{}',1,'e7cfed945eaef0322530ebdb02f3c01ce13cf2582aff9f60bad7a7e4a53e5e51',1796557837144,1796557837144,NULL);
INSERT INTO integrations VALUES(2,'33333333-3333-4333-8333-333333333333','prj_ec4a3866188eeace92c8','OAuth 2.0','hubspot','oauth2',1,1,'{"client_id":"hubspot-client","scopes":"crm.objects.contacts.read"}',1,'744bb70e7b42e3b039189d32bbccdd29e2e7ca37e968a3722ed5aee9ee4691f9',1796557837160,1796557837160,'own');
CREATE TABLE secrets (  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,  field TEXT NOT NULL, value BLOB NOT NULL, hint TEXT NOT NULL,  updated_at INTEGER NOT NULL, PRIMARY KEY (integration_id, field));
CREATE TABLE accounts (  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL REFERENCES projects (id),  integration_id TEXT NOT NULL REFERENCES integrations (id), provider TEXT NOT NULL,  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL,  origin_username TEXT, label TEXT NOT NULL, status TEXT NOT NULL,  status_reasons TEXT NOT NULL DEFAULT '[]', credentials BLOB,  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
INSERT INTO accounts VALUES(1,'acc_e467563c5fe07899e581','prj_ec4a3866188eeace92c8','11111111-1111-4111-8111-111111111111','bamboohr','cust_1001','Globex Ltd',NULL,'BambooHR – Globex Ltd','active','[]',NULL,1796557837353,1796557837353);
INSERT INTO accounts VALUES(2,'acc_0edeac128d1157439203','prj_ec4a3866188eeace92c8','11111111-1111-4111-8111-111111111111','bamboohr','cust_1002','Initech',NULL,'BambooHR – Initech','active','[]',NULL,1796557837550,1796557837550);
INSERT INTO accounts VALUES(3,'acc_5018e737f214b02c6789','prj_ec4a3866188eeace92c8','33333333-3333-4333-8333-333333333333','hubspot','cust_1003','Umbrella Health',NULL,'HubSpot – Umbrella Health','active','[]',NULL,1796557837735,1796557837735);
CREATE TABLE connect_sessions (  id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),  token_hash TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, integration_id TEXT NOT NULL,  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL, origin_username TEXT,  expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0,  created_at INTEGER NOT NULL);
INSERT INTO connect_sessions VALUES('cs_2686779cb189652498ae','prj_ec4a3866188eeace92c8','75fb4c8254db1e762f35de0c8758d3a6e6a96b8a2c92847ff4bdba02862071a6','bamboohr','11111111-1111-4111-8111-111111111111','cust_1001','Globex Ltd',NULL,1796559637183,1,1796557837183);
INSERT INTO connect_sessions VALUES('cs_53f3638a172982372b78','prj_ec4a3866188eeace92c8','93a5e610f841777f21d728a3e0555b2bcd918691fb6bd4e6e827b64a871ed745','bamboohr','11111111-1111-4111-8111-111111111111','cust_1002','Initech',NULL,1796559637369,1,1796557837369);
INSERT INTO connect_sessions VALUES('cs_67eb18e057313359ba69','prj_ec4a3866188eeace92c8','faf6ec9d270a20630bbe84bc79e4e1f7bc7236e2db5105b89ca07c2d9794c567','hubspot','33333333-3333-4333-8333-333333333333','cust_1003','Umbrella Health',NULL,1796559637567,1,1796557837567);
CREATE TABLE logs (  seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL, event_time INTEGER NOT NULL, duration INTEGER NOT NULL,  http_method TEXT NOT NULL, path TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL,  success INTEGER NOT NULL, provider TEXT, integration_id TEXT, account_id TEXT,  service TEXT, resource TEXT, source_type TEXT);
INSERT INTO logs VALUES(1,'01a24b31-1358-7d10-9d3c-d66acec73376','prj_ec4a3866188eeace92c8',1796557837144,0,'POST','/integrations','http://127.0.0.1:38119/integrations',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(2,'01a24b31-1368-76f7-9f91-99cf643ab150','prj_ec4a3866188eeace92c8',1796557837160,1,'POST','/integrations','http://127.0.0.1:38119/integrations',201,1,'hubspot','33333333-3333-4333-8333-333333333333',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(3,'01a24b31-1380-734f-9122-278f2baa3ec9','prj_ec4a3866188eeace92c8',1796557837184,0,'POST','/connect_sessions','http://127.0.0.1:38119/connect_sessions',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(4,'01a24b31-142a-78cd-b8c1-a76960c7dd21','prj_ec4a3866188eeace92c8',1796557837354,1,'POST','/connect_sessions/authenticate','http://127.0.0.1:38119/connect_sessions/authenticate',201,1,'bamboohr','11111111-1111-4111-8111-111111111111','acc_e467563c5fe07899e581','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(5,'01a24b31-143a-7879-bc33-9c40fe83b29b','prj_ec4a3866188eeace92c8',1796557837370,0,'POST','/connect_sessions','http://127.0.0.1:38119/connect_sessions',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(6,'01a24b31-14ee-71c2-9b23-df62c9d2e610','prj_ec4a3866188eeace92c8',1796557837550,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:38119/connect_sessions/authenticate',201,1,'bamboohr','11111111-1111-4111-8111-111111111111','acc_0edeac128d1157439203','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(7,'01a24b31-1500-7f14-b01a-a37bf12a5e51','prj_ec4a3866188eeace92c8',1796557837568,0,'POST','/connect_sessions','http://127.0.0.1:38119/connect_sessions',201,1,'hubspot','33333333-3333-4333-8333-333333333333',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(8,'01a24b31-15a8-76ef-9004-5dde1831fa6b','prj_ec4a3866188eeace92c8',1796557837736,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:38119/connect_sessions/authenticate',201,1,'hubspot','33333333-3333-4333-8333-333333333333','acc_5018e737f214b02c6789','plugboard','connect_sessions','admin_api');
CREATE TABLE integration_changes (  seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL,  integration_id TEXT NOT NULL, deleted INTEGER NOT NULL);
INSERT INTO integration_changes VALUES(5,'prj_ec4a3866188eeace92c8','11111111-1111-4111-8111-111111111111',0);
INSERT INTO integration_changes VALUES(6,'prj_ec4a3866188eeace92c8','33333333-3333-4333-8333-333333333333',0);
CREATE TABLE integration_change_horizon (  project_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('integration_changes',6);
INSERT INTO sqlite_sequence VALUES('integrations',2);
INSERT INTO sqlite_sequence VALUES('logs',8);
INSERT INTO sqlite_sequence VALUES('accounts',3);
CREATE INDEX integrations_by_project ON integrations (project_id, seq);
CREATE INDEX integrations_by_connector ON integrations (project_id, connector_key);
CREATE INDEX accounts_by_project ON accounts (project_id, seq);
CREATE INDEX accounts_by_integration ON accounts (integration_id, status);
CREATE UNIQUE INDEX accounts_by_owner  ON accounts (project_id, provider, origin_owner_id);
CREATE INDEX logs_by_time ON logs (project_id, event_time, seq);
CREATE INDEX logs_by_integration ON logs (integration_id, event_time, seq);
CREATE INDEX logs_by_account ON logs (account_id, event_time, seq);
CREATE INDEX integration_changes_by_project  ON integration_changes (project_id, seq);
CREATE INDEX integration_changes_by_integration  ON integration_changes (integration_id);
CREATE INDEX integration_changes_tombstones  ON integration_changes (project_id, deleted, seq);
CREATE TRIGGER integration_changes_insert AFTER INSERT ON integrations BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES (NEW.project_id, NEW.id, 0);END;
CREATE TRIGGER integration_changes_update AFTER UPDATE ON integrations BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES (NEW.project_id, NEW.id, 0);END;
CREATE TRIGGER integration_changes_delete AFTER DELETE ON integrations BEGIN DELETE FROM integration_changes WHERE integration_id = OLD.id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES (OLD.project_id, OLD.id, 1);END;
CREATE TRIGGER integration_changes_secret_insert AFTER INSERT ON secrets WHEN EXISTS (SELECT 1 FROM integrations WHERE id = NEW.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = NEW.integration_id), NEW.integration_id, 0);END;
CREATE TRIGGER integration_changes_secret_update AFTER UPDATE ON secrets WHEN EXISTS (SELECT 1 FROM integrations WHERE id = NEW.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = NEW.integration_id), NEW.integration_id, 0);END;
CREATE TRIGGER integration_changes_secret_delete AFTER DELETE ON secrets WHEN EXISTS (SELECT 1 FROM integrations WHERE id = OLD.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = OLD.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = OLD.integration_id), OLD.integration_id, 0);END;
CREATE TRIGGER integration_changes_account_insert AFTER INSERT ON accounts WHEN EXISTS (SELECT 1 FROM integrations WHERE id = NEW.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = NEW.integration_id), NEW.integration_id, 0);END;
CREATE TRIGGER integration_changes_account_update AFTER UPDATE OF status, integration_id ON accounts WHEN EXISTS (SELECT 1 FROM integrations WHERE id = NEW.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = NEW.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = NEW.integration_id), NEW.integration_id, 0);END;
CREATE TRIGGER integration_changes_account_delete AFTER DELETE ON accounts WHEN EXISTS (SELECT 1 FROM integrations WHERE id = OLD.integration_id) BEGIN DELETE FROM integration_changes WHERE integration_id = OLD.integration_id;INSERT INTO integration_changes (project_id, integration_id, deleted) VALUES ((SELECT project_id FROM integrations WHERE id = OLD.integration_id), OLD.integration_id, 0);END;
CREATE TRIGGER integration_changes_prune AFTER INSERT ON integration_changes WHEN NEW.deleted = 1 BEGIN INSERT INTO integration_change_horizon (project_id, seq) SELECT NEW.project_id, seq FROM integration_changes  WHERE project_id = NEW.project_id AND deleted = 1  ORDER BY seq DESC LIMIT 1 OFFSET (SELECT CAST (coalesce ((SELECT value FROM meta WHERE key = 'sync_max_tombstones'), 10000) AS INTEGER)) ON CONFLICT (project_id) DO UPDATE SET seq = max (seq, excluded.seq);DELETE FROM integration_changes WHERE project_id = NEW.project_id AND deleted = 1 AND seq <= coalesce ((SELECT seq FROM integration_change_horizon                       WHERE project_id = NEW.project_id), 0);END;
COMMIT;
