-- index ix_alerts_fired on alerts
CREATE INDEX ix_alerts_fired ON alerts (fired_at);

-- index ix_alerts_undelivered on alerts
CREATE INDEX ix_alerts_undelivered ON alerts (delivered_at, attempts);

-- index ix_article_actors_actor on article_actors
CREATE INDEX ix_article_actors_actor ON article_actors (actor, article_id);

-- index ix_article_actors_covering on article_actors
CREATE INDEX ix_article_actors_covering ON article_actors (article_id, actor, side, mentions);

-- index ix_article_events_category on article_events
CREATE INDEX ix_article_events_category ON article_events (category, article_id);

-- index ix_article_events_covering on article_events
CREATE INDEX ix_article_events_covering ON article_events (article_id, direction, category, quad, weight);

-- index ix_article_events_quad on article_events
CREATE INDEX ix_article_events_quad ON article_events (quad, article_id);

-- index ix_article_facts_tone on article_facts
CREATE INDEX ix_article_facts_tone ON article_facts (tone, relevant, published_day, bloc, outlet, lang);

-- index ix_article_stories_story_id on article_stories
CREATE INDEX ix_article_stories_story_id ON article_stories (story_id, article_id);

-- index ix_article_terms_covering on article_terms
CREATE INDEX ix_article_terms_covering ON article_terms (article_id, theme, term, hits);

-- index ix_article_themes_covering on article_themes
CREATE INDEX ix_article_themes_covering ON article_themes (article_id, theme, central);

-- index ix_article_themes_theme on article_themes
CREATE INDEX ix_article_themes_theme ON article_themes (theme, article_id);

-- index ix_articles_bloc_day on articles
CREATE INDEX ix_articles_bloc_day ON articles (bloc, published_day);

-- index ix_articles_day on articles
CREATE INDEX ix_articles_day ON articles (published_day);

-- index ix_articles_demo on articles
CREATE INDEX ix_articles_demo ON articles (is_demo);

-- index ix_articles_facts on articles
CREATE INDEX ix_articles_facts ON articles (relevant, published_at, published_day, bloc, outlet, tone);

-- index ix_articles_facts_day on articles
CREATE INDEX ix_articles_facts_day ON articles (published_day, relevant, bloc, outlet, tone);

-- index ix_articles_outlet_day on articles
CREATE INDEX ix_articles_outlet_day ON articles (outlet, published_day);

-- index ix_articles_published on articles
CREATE INDEX ix_articles_published ON articles (published_at);

-- index ix_articles_relevant_published on articles
CREATE INDEX ix_articles_relevant_published ON articles (relevant, published_at);

-- index ix_articles_tone on articles
CREATE INDEX ix_articles_tone ON articles (tone);

-- index ix_articles_url on articles
CREATE INDEX ix_articles_url ON articles (url);

-- index ix_articles_versions on articles
CREATE INDEX ix_articles_versions ON articles (lexicon_version, analyzer_version);

-- index ix_bloc_rollup_theme_day on bloc_rollup
CREATE INDEX ix_bloc_rollup_theme_day ON bloc_rollup (theme, day);

-- index ix_feed_attempts_feed_at on feed_attempts
CREATE INDEX ix_feed_attempts_feed_at ON feed_attempts (feed_id, at);

-- index ix_rollup_theme_day on daily_rollup
CREATE INDEX ix_rollup_theme_day ON daily_rollup (theme, day);

-- index ix_stories_articles on stories
CREATE INDEX ix_stories_articles ON stories (articles);

-- index ix_stories_first_day on stories
CREATE INDEX ix_stories_first_day ON stories (first_day);

-- index ix_stories_gap on stories
CREATE INDEX ix_stories_gap ON stories (gap);

-- index ix_stories_last_seen on stories
CREATE INDEX ix_stories_last_seen ON stories (last_seen);

-- index ix_stories_span on stories
CREATE INDEX ix_stories_span ON stories (first_day, last_day, relevant, articles, reports);

-- table actor_rollup on actor_rollup
CREATE TABLE actor_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	actor TEXT NOT NULL, 
	side TEXT NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	mentions INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, actor, side, lang)
);

-- table alerts on alerts
CREATE TABLE alerts (
	id INTEGER NOT NULL, 
	"key" TEXT NOT NULL, 
	watch TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	day DATE NOT NULL, 
	fired_at DATETIME NOT NULL, 
	summary TEXT NOT NULL, 
	detail TEXT NOT NULL, 
	attempts INTEGER NOT NULL, 
	last_error TEXT, 
	delivered_at DATETIME, 
	delivered_to TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);

-- table article_actors on article_actors
CREATE TABLE article_actors (
	article_id INTEGER NOT NULL, 
	actor TEXT NOT NULL, 
	side TEXT NOT NULL, 
	mentions INTEGER NOT NULL, 
	PRIMARY KEY (article_id, actor), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_events on article_events
CREATE TABLE article_events (
	article_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	category TEXT NOT NULL, 
	quad TEXT NOT NULL, 
	direction TEXT NOT NULL, 
	source TEXT NOT NULL, 
	target TEXT NOT NULL, 
	negated BOOLEAN NOT NULL, 
	hypothetical BOOLEAN NOT NULL, 
	weight FLOAT NOT NULL, 
	field TEXT NOT NULL, 
	PRIMARY KEY (article_id, seq), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_facts on article_facts
CREATE TABLE article_facts (
	id INTEGER NOT NULL, 
	published_day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	lang TEXT NOT NULL, 
	tone FLOAT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_lines on article_lines
CREATE TABLE article_lines (
	id INTEGER NOT NULL, 
	line TEXT NOT NULL, 
	terms TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_outlets on article_outlets
CREATE TABLE article_outlets (
	article_id INTEGER NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	feed_url TEXT NOT NULL, 
	PRIMARY KEY (article_id, outlet), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_stories on article_stories
CREATE TABLE article_stories (
	article_id INTEGER NOT NULL, 
	story_id INTEGER NOT NULL, 
	copy_of INTEGER, 
	PRIMARY KEY (article_id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_terms on article_terms
CREATE TABLE article_terms (
	article_id INTEGER NOT NULL, 
	theme TEXT NOT NULL, 
	term TEXT NOT NULL, 
	hits INTEGER NOT NULL, 
	PRIMARY KEY (article_id, theme, term), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table article_themes on article_themes
CREATE TABLE article_themes (
	article_id INTEGER NOT NULL, 
	theme TEXT NOT NULL, 
	hits INTEGER NOT NULL, 
	in_title BOOLEAN NOT NULL, 
	central BOOLEAN NOT NULL, 
	salience FLOAT, 
	PRIMARY KEY (article_id, theme), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

-- table articles on articles
CREATE TABLE articles (
	id INTEGER NOT NULL, 
	uid TEXT NOT NULL, 
	url TEXT NOT NULL, 
	guid TEXT, 
	title TEXT NOT NULL, 
	summary TEXT NOT NULL, 
	content TEXT NOT NULL, 
	fulltext TEXT NOT NULL, 
	analyzed_text TEXT NOT NULL, 
	published_at DATETIME NOT NULL, 
	published_day DATE NOT NULL, 
	published_estimated BOOLEAN NOT NULL, 
	fetched_at DATETIME NOT NULL, 
	feed_url TEXT NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	lang TEXT NOT NULL, 
	tone FLOAT, 
	tone_label TEXT NOT NULL, 
	relevance FLOAT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	theme_list TEXT NOT NULL, 
	actor_list TEXT NOT NULL, 
	evidence TEXT NOT NULL, 
	lexicon_version TEXT NOT NULL, 
	analyzer_version TEXT NOT NULL, 
	content_hash TEXT NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	relations_score FLOAT, 
	relations_label TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (uid)
);

-- table articles_fts on articles_fts
CREATE VIRTUAL TABLE articles_fts USING fts5(title, summary, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 0');

-- table articles_fts_config on articles_fts_config
CREATE TABLE 'articles_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table articles_fts_data on articles_fts_data
CREATE TABLE 'articles_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table articles_fts_docsize on articles_fts_docsize
CREATE TABLE 'articles_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table articles_fts_idx on articles_fts_idx
CREATE TABLE 'articles_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table bloc_rollup on bloc_rollup
CREATE TABLE bloc_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	theme TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	central BOOLEAN NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	tone_sum FLOAT NOT NULL, 
	tone_count INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, theme, relevant, central, lang)
);

-- table daily_rollup on daily_rollup
CREATE TABLE daily_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	theme TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	central BOOLEAN NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	tone_sum FLOAT NOT NULL, 
	tone_count INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, theme, relevant, central, lang)
);

-- table event_rollup on event_rollup
CREATE TABLE event_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	category TEXT NOT NULL, 
	quad TEXT NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	events INTEGER NOT NULL, 
	weight_sum FLOAT NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, category, quad, lang)
);

-- table feed_attempts on feed_attempts
CREATE TABLE feed_attempts (
	id INTEGER NOT NULL, 
	feed_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	status INTEGER, 
	error TEXT, 
	new INTEGER NOT NULL, 
	updated INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(feed_id) REFERENCES feeds (id) ON DELETE CASCADE
);

-- table feeds on feeds
CREATE TABLE feeds (
	id INTEGER NOT NULL, 
	url TEXT NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	country TEXT NOT NULL, 
	language TEXT NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	etag TEXT, 
	last_modified TEXT, 
	next_check_at DATETIME, 
	lease_until DATETIME, 
	lease_owner TEXT, 
	last_attempt_at DATETIME, 
	last_success_at DATETIME, 
	last_status INTEGER, 
	last_error TEXT, 
	consecutive_errors INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (url)
);

-- table pair_rollup on pair_rollup
CREATE TABLE pair_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	theme_a TEXT NOT NULL, 
	theme_b TEXT NOT NULL, 
	central BOOLEAN NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, theme_a, theme_b, central, lang)
);

-- table relations_rollup on relations_rollup
CREATE TABLE relations_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	direction TEXT NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	events INTEGER NOT NULL, 
	weight_sum FLOAT NOT NULL, 
	cooperation INTEGER NOT NULL, 
	"conflict" INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, relevant, direction, lang)
);

-- table schema_migrations on schema_migrations
CREATE TABLE schema_migrations (
	version INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (version)
);

-- table stories on stories
CREATE TABLE stories (
	id INTEGER NOT NULL, 
	headline TEXT NOT NULL, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	first_day DATE NOT NULL, 
	last_day DATE NOT NULL, 
	articles INTEGER NOT NULL, 
	reports INTEGER NOT NULL, 
	relevant INTEGER NOT NULL, 
	outlets TEXT NOT NULL, 
	blocs TEXT NOT NULL, 
	themes TEXT NOT NULL, 
	langs TEXT NOT NULL, 
	coverage TEXT NOT NULL, 
	blindspot TEXT NOT NULL, 
	blindspot_kind TEXT NOT NULL, 
	gap FLOAT, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

-- table term_rollup on term_rollup
CREATE TABLE term_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	theme TEXT NOT NULL, 
	term TEXT NOT NULL, 
	central BOOLEAN NOT NULL, 
	lang TEXT NOT NULL, 
	hits INTEGER NOT NULL, 
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, theme, term, central, lang)
);

-- table tone_rollup on tone_rollup
CREATE TABLE tone_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	bin INTEGER NOT NULL, 
	lang TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, relevant, bin, lang)
);

-- table watches on watches
CREATE TABLE watches (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	filters TEXT NOT NULL, 
	sensitivity TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

-- trigger articles_fts_delete on articles
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN INSERT INTO articles_fts(articles_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary); END;

-- trigger articles_fts_insert on articles
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN INSERT INTO articles_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END;

-- trigger articles_fts_update on articles
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary ON articles BEGIN INSERT INTO articles_fts(articles_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary); INSERT INTO articles_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END;

