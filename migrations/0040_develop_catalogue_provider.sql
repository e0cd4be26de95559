-- 0040_develop_catalogue_provider.sql: the starter catalogue (data/catalogue/starter.csv)
-- named this service as the provider of its own activities by its code, "ahphub", and the
-- catalogue showed that code. The provider is a name people read: the service's, "AHP Hub",
-- as the pages show it.
UPDATE develop_activities SET provider = 'AHP Hub' WHERE provider = 'ahphub';
