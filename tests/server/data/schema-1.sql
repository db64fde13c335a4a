-- A database as plugboard-server wrote it before auth types had account fields
-- (schema_version 1): made by that server with the catalog of the time, through its API
-- (POST /integrations, then connect sessions that linked one account each, two for BambooHR),
-- and dumped with `sqlite3 .dump`. Left out are the API keys and what was encrypted with the
-- database's key file; test-server-migrate writes those with a key file of its own:
--   integration 1111… bamboohr/api_key      config subdomain=acme-uk, secret api_key
--   integration 2222… ashby/api_key         secret api_key (no linked account)
--   integration 3333… hubspot/oauth2        config client_id, scopes, secret client_secret
--   integration 4444… workday/oauth2        config client_id, tenant, host, secret client_secret
--   integration 5555… teamtailor/public_partner_api_key  config region, secrets api_key and
--                                           external_trigger_token
--   integration 6666… hibob/api_key         secret api_key (an auth type no longer offered)
--   integration 7777… salesforce/oauth2     config client_id, environment=sandbox, scopes,
--                                           secret client_secret
--   account acc_9a78… (Globex Ltd, BambooHR) credentials {"api_key": its own key}
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (  key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version','1');
CREATE TABLE projects (  id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,  region TEXT NOT NULL, created_at INTEGER NOT NULL);
INSERT INTO projects VALUES('prj_52a05aaa1f5b9cd192e4','Acme HR','growth','eu1',1796551680536);
CREATE TABLE api_keys (  key_id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),  role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),  salt TEXT NOT NULL, hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE integrations (  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL REFERENCES projects (id), name TEXT NOT NULL,  connector_key TEXT NOT NULL, auth_type_key TEXT NOT NULL,  active INTEGER NOT NULL, is_default INTEGER NOT NULL, config TEXT NOT NULL,  version INTEGER NOT NULL, fingerprint TEXT,  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
INSERT INTO integrations VALUES(1,'11111111-1111-4111-8111-111111111111','prj_52a05aaa1f5b9cd192e4','BambooHR – UK','bamboohr','api_key',1,1,'{"subdomain":"acme-uk"}',1,'bffc5a962adde4057fe740442005eb1c8094062ba47a66bb1d8fe6054cf93bc5',1796551691358,1796551691358);
INSERT INTO integrations VALUES(2,'22222222-2222-4222-8222-222222222222','prj_52a05aaa1f5b9cd192e4','API Key','ashby','api_key',1,1,'{}',1,'a7771d2e2097f09fbdc77c1bd039d0e77b8d0d67327d50b15c87b912e4b2bd17',1796551691379,1796551691379);
INSERT INTO integrations VALUES(3,'33333333-3333-4333-8333-333333333333','prj_52a05aaa1f5b9cd192e4','OAuth 2.0','hubspot','oauth2',1,1,'{"client_id":"hubspot-client","scopes":"crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read tickets"}',1,'f872ff1a30814b787c46efafd160cd2446e2c19dd1f3bd553202488d72ce98f0',1796551691407,1796551691407);
INSERT INTO integrations VALUES(4,'44444444-4444-4444-8444-444444444444','prj_52a05aaa1f5b9cd192e4','OAuth 2.0','workday','oauth2',1,1,'{"tenant":"acme","client_id":"wd-client","host":"https://wd2.example.com"}',1,'21dcecb4b349c07635642f387dcf3380375ba30827f3c5a2b24137aad64bc0c7',1796551691425,1796551691425);
INSERT INTO integrations VALUES(5,'55555555-5555-4555-8555-555555555555','prj_52a05aaa1f5b9cd192e4','Public + Partner API key','teamtailor','public_partner_api_key',1,1,'{"region":"eu"}',1,'d5020b691c5fbb9c231685aaf6739522b7da59f568479843617607e0c91a26dd',1796551691450,1796551691450);
INSERT INTO integrations VALUES(6,'66666666-6666-4666-8666-666666666666','prj_52a05aaa1f5b9cd192e4','API Key','hibob','api_key',1,1,'{}',1,'1771c6ef8faa13ed58a1c0cb8899e6fb7a46e2d287c9e67e89dec8f4a476c64c',1796551691470,1796551691470);
INSERT INTO integrations VALUES(7,'77777777-7777-4777-8777-777777777777','prj_52a05aaa1f5b9cd192e4','OAuth 2.0','salesforce','oauth2',1,1,'{"environment":"sandbox","client_id":"sf-client","scopes":"api refresh_token"}',1,'09744ca71e3371c2b1552259c7f6878aed016baa1dd0260b641d9f70badefd33',1796551691489,1796551691489);
CREATE TABLE secrets (  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,  field TEXT NOT NULL, value BLOB NOT NULL, hint TEXT NOT NULL,  updated_at INTEGER NOT NULL, PRIMARY KEY (integration_id, field));
CREATE TABLE accounts (  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL REFERENCES projects (id),  integration_id TEXT NOT NULL REFERENCES integrations (id), provider TEXT NOT NULL,  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL,  origin_username TEXT, label TEXT NOT NULL, status TEXT NOT NULL,  status_reasons TEXT NOT NULL DEFAULT '[]', credentials BLOB,  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
INSERT INTO accounts VALUES(1,'acc_9a78281b013c9eaf10ee','prj_52a05aaa1f5b9cd192e4','11111111-1111-4111-8111-111111111111','bamboohr','cust_1001','Globex Ltd',NULL,'BambooHR – Globex Ltd','active','[]',NULL,1796551695506,1796551695506);
INSERT INTO accounts VALUES(2,'acc_aad9fd167bf43a5ea608','prj_52a05aaa1f5b9cd192e4','11111111-1111-4111-8111-111111111111','bamboohr','cust_1002','Initech',NULL,'BambooHR – Initech','active','[]',NULL,1796551695750,1796551695750);
INSERT INTO accounts VALUES(3,'acc_0ca30c21ca6916a1ae3a','prj_52a05aaa1f5b9cd192e4','33333333-3333-4333-8333-333333333333','hubspot','cust_1003','Umbrella Health',NULL,'HubSpot – Umbrella Health','active','[]',NULL,1796551696038,1796551696038);
INSERT INTO accounts VALUES(4,'acc_f4f7721d5172f58f14a8','prj_52a05aaa1f5b9cd192e4','44444444-4444-4444-8444-444444444444','workday','cust_1004','Stark Logistics',NULL,'Workday – Stark Logistics','active','[]',NULL,1796551696235,1796551696235);
INSERT INTO accounts VALUES(5,'acc_d9502c65c7dd53d0ad93','prj_52a05aaa1f5b9cd192e4','55555555-5555-4555-8555-555555555555','teamtailor','cust_1005','Wayne Foods',NULL,'Teamtailor – Wayne Foods','active','[]',NULL,1796551696496,1796551696496);
INSERT INTO accounts VALUES(6,'acc_b6bfff6cac3fd3ebff86','prj_52a05aaa1f5b9cd192e4','66666666-6666-4666-8666-666666666666','hibob','cust_1006','Hooli Europe',NULL,'HiBob – Hooli Europe','active','[]',NULL,1796551696751,1796551696751);
INSERT INTO accounts VALUES(7,'acc_d4a5f5fe9dc2985f00d5','prj_52a05aaa1f5b9cd192e4','77777777-7777-4777-8777-777777777777','salesforce','cust_1007','Pied Piper',NULL,'Salesforce – Pied Piper','active','[]',NULL,1796551696954,1796551696954);
CREATE TABLE connect_sessions (  id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects (id),  token_hash TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, integration_id TEXT NOT NULL,  origin_owner_id TEXT NOT NULL, origin_owner_name TEXT NOT NULL, origin_username TEXT,  expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0,  created_at INTEGER NOT NULL);
INSERT INTO connect_sessions VALUES('cs_1e44c800671723517a18','prj_52a05aaa1f5b9cd192e4','ba4dad90d6b807341a9c2a277e04676710ba682d9d66607232e9876bac0dd4a2','bamboohr','11111111-1111-4111-8111-111111111111','cust_1001','Globex Ltd',NULL,1796553495255,1,1796551695255);
INSERT INTO connect_sessions VALUES('cs_09bbab506ef7d8dda7c0','prj_52a05aaa1f5b9cd192e4','a5a99333ea64be9f120846d9e91519ca36f20e02f71d77effb2f880acc03b41e','bamboohr','11111111-1111-4111-8111-111111111111','cust_1002','Initech',NULL,1796553495568,1,1796551695568);
INSERT INTO connect_sessions VALUES('cs_6ca0dee8b046bbfdb7c5','prj_52a05aaa1f5b9cd192e4','801a472bc5304f3afaae72f63c9f8d6d14f01fd278230f3bd9af075ad9d90722','hubspot','33333333-3333-4333-8333-333333333333','cust_1003','Umbrella Health',NULL,1796553495784,1,1796551695784);
INSERT INTO connect_sessions VALUES('cs_2276edc04e51b1eb82c3','prj_52a05aaa1f5b9cd192e4','0e74ad4257fa696aeaf1ac53ed0818e3a681f47380ee24ed5683bbdd555e1642','workday','44444444-4444-4444-8444-444444444444','cust_1004','Stark Logistics',NULL,1796553496061,1,1796551696061);
INSERT INTO connect_sessions VALUES('cs_1fdc72516682a3b2255e','prj_52a05aaa1f5b9cd192e4','818e81d160f2deb4bd113f4ca2b8db307ef7f4fa3e8ddc7ef097d346040d29ec','teamtailor','55555555-5555-4555-8555-555555555555','cust_1005','Wayne Foods',NULL,1796553496245,1,1796551696245);
INSERT INTO connect_sessions VALUES('cs_1264afc251c0380e343d','prj_52a05aaa1f5b9cd192e4','694c5b1830bc3ed1ad0dd3213dbb247feadf6de9e1173a38a3c070b898694b59','hibob','66666666-6666-4666-8666-666666666666','cust_1006','Hooli Europe',NULL,1796553496547,1,1796551696547);
INSERT INTO connect_sessions VALUES('cs_30ac21dc886223cb20f7','prj_52a05aaa1f5b9cd192e4','55382c14726c247a9dde14e83be2e6df31880d4795f3ded82436317775c6aab8','salesforce','77777777-7777-4777-8777-777777777777','cust_1007','Pied Piper',NULL,1796553496765,1,1796551696765);
CREATE TABLE logs (  seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE,  project_id TEXT NOT NULL, event_time INTEGER NOT NULL, duration INTEGER NOT NULL,  http_method TEXT NOT NULL, path TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL,  success INTEGER NOT NULL, provider TEXT, integration_id TEXT, account_id TEXT,  service TEXT, resource TEXT, source_type TEXT);
INSERT INTO logs VALUES(1,'01a24ad3-4c5f-7706-91c4-ff9d6b1497f4','prj_52a05aaa1f5b9cd192e4',1796551691359,1,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(2,'01a24ad3-4c74-75ae-9c68-e19c4c28c4ce','prj_52a05aaa1f5b9cd192e4',1796551691380,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'ashby','22222222-2222-4222-8222-222222222222',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(3,'01a24ad3-4c90-7f32-97d8-01ebd0f4f08f','prj_52a05aaa1f5b9cd192e4',1796551691408,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'hubspot','33333333-3333-4333-8333-333333333333',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(4,'01a24ad3-4ca2-701b-bd0b-c2878ba1b240','prj_52a05aaa1f5b9cd192e4',1796551691426,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'workday','44444444-4444-4444-8444-444444444444',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(5,'01a24ad3-4cba-7754-a7ca-377a0a95ae0d','prj_52a05aaa1f5b9cd192e4',1796551691450,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'teamtailor','55555555-5555-4555-8555-555555555555',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(6,'01a24ad3-4cce-7325-b1c5-ac0175c2fe90','prj_52a05aaa1f5b9cd192e4',1796551691470,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'hibob','66666666-6666-4666-8666-666666666666',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(7,'01a24ad3-4ce1-7cd0-8247-f8232a020e78','prj_52a05aaa1f5b9cd192e4',1796551691489,0,'POST','/integrations','http://127.0.0.1:42215/integrations',201,1,'salesforce','77777777-7777-4777-8777-777777777777',NULL,'plugboard','integrations','admin_api');
INSERT INTO logs VALUES(8,'01a24ad3-5b97-743e-891d-452203487a50','prj_52a05aaa1f5b9cd192e4',1796551695255,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(9,'01a24ad3-5c92-7e22-acb0-970080c1e67d','prj_52a05aaa1f5b9cd192e4',1796551695506,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'bamboohr','11111111-1111-4111-8111-111111111111','acc_9a78281b013c9eaf10ee','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(10,'01a24ad3-5cd0-759e-90d9-8cdb0a8ad1cd','prj_52a05aaa1f5b9cd192e4',1796551695568,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'bamboohr','11111111-1111-4111-8111-111111111111',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(11,'01a24ad3-5d86-74f1-a0f0-a35f96439ebe','prj_52a05aaa1f5b9cd192e4',1796551695750,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'bamboohr','11111111-1111-4111-8111-111111111111','acc_aad9fd167bf43a5ea608','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(12,'01a24ad3-5da8-73d5-8408-9b8583e5c6bb','prj_52a05aaa1f5b9cd192e4',1796551695784,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'hubspot','33333333-3333-4333-8333-333333333333',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(13,'01a24ad3-5ea7-7c36-85be-0ff70c848b52','prj_52a05aaa1f5b9cd192e4',1796551696039,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'hubspot','33333333-3333-4333-8333-333333333333','acc_0ca30c21ca6916a1ae3a','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(14,'01a24ad3-5ebd-7e87-9205-c083ed2c8219','prj_52a05aaa1f5b9cd192e4',1796551696061,1,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'workday','44444444-4444-4444-8444-444444444444',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(15,'01a24ad3-5f6b-79e2-a52b-0b4964a8a078','prj_52a05aaa1f5b9cd192e4',1796551696235,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'workday','44444444-4444-4444-8444-444444444444','acc_f4f7721d5172f58f14a8','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(16,'01a24ad3-5f76-748b-a016-9af86e92b349','prj_52a05aaa1f5b9cd192e4',1796551696246,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'teamtailor','55555555-5555-4555-8555-555555555555',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(17,'01a24ad3-6079-7ce8-a87b-73bef7b32bb3','prj_52a05aaa1f5b9cd192e4',1796551696505,10,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'teamtailor','55555555-5555-4555-8555-555555555555','acc_d9502c65c7dd53d0ad93','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(18,'01a24ad3-60a3-7aa8-8ae2-2e9b78abb2fb','prj_52a05aaa1f5b9cd192e4',1796551696547,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'hibob','66666666-6666-4666-8666-666666666666',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(19,'01a24ad3-616f-716f-ac18-86fe80e0f749','prj_52a05aaa1f5b9cd192e4',1796551696751,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'hibob','66666666-6666-4666-8666-666666666666','acc_b6bfff6cac3fd3ebff86','plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(20,'01a24ad3-617d-7037-b144-f5de4f6a8602','prj_52a05aaa1f5b9cd192e4',1796551696765,0,'POST','/connect_sessions','http://127.0.0.1:42215/connect_sessions',201,1,'salesforce','77777777-7777-4777-8777-777777777777',NULL,'plugboard','connect_sessions','admin_api');
INSERT INTO logs VALUES(21,'01a24ad3-623b-7235-9e65-25b29a10b8a9','prj_52a05aaa1f5b9cd192e4',1796551696955,0,'POST','/connect_sessions/authenticate','http://127.0.0.1:42215/connect_sessions/authenticate',201,1,'salesforce','77777777-7777-4777-8777-777777777777','acc_d4a5f5fe9dc2985f00d5','plugboard','connect_sessions','admin_api');
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('integrations',7);
INSERT INTO sqlite_sequence VALUES('logs',21);
INSERT INTO sqlite_sequence VALUES('accounts',7);
CREATE INDEX integrations_by_project ON integrations (project_id, seq);
CREATE INDEX integrations_by_connector ON integrations (project_id, connector_key);
CREATE INDEX accounts_by_project ON accounts (project_id, seq);
CREATE INDEX accounts_by_integration ON accounts (integration_id, status);
CREATE UNIQUE INDEX accounts_by_owner  ON accounts (project_id, provider, origin_owner_id);
CREATE INDEX logs_by_time ON logs (project_id, event_time, seq);
CREATE INDEX logs_by_integration ON logs (integration_id, event_time, seq);
CREATE INDEX logs_by_account ON logs (account_id, event_time, seq);
COMMIT;
