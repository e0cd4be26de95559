-- 0033_listen_language.sql: an exercise has a language, a BCP 47 tag ("en", "de", "de-AT").
-- Theme analysis stems and drops stop words in it (src/text/language.h), and the pages mark
-- what participants wrote with it as lang (WCAG 3.1.2). Exercises from before were all
-- analysed as English, so they are English.
ALTER TABLE listen_exercises ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
