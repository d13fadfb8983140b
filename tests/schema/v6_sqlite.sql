-- index ix_article_actors_actor on article_actors
CREATE INDEX ix_article_actors_actor ON article_actors (actor, article_id);

-- index ix_article_events_category on article_events
CREATE INDEX ix_article_events_category ON article_events (category, article_id);

-- index ix_article_events_quad on article_events
CREATE INDEX ix_article_events_quad ON article_events (quad, article_id);

-- index ix_article_themes_theme on article_themes
CREATE INDEX ix_article_themes_theme ON article_themes (theme, article_id);

-- index ix_articles_bloc_day on articles
CREATE INDEX ix_articles_bloc_day ON articles (bloc, published_day);

-- index ix_articles_day on articles
CREATE INDEX ix_articles_day ON articles (published_day);

-- index ix_articles_demo on articles
CREATE INDEX ix_articles_demo ON articles (is_demo);

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

-- table actor_rollup on actor_rollup
CREATE TABLE actor_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	actor TEXT NOT NULL, 
	side TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	mentions INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, actor, side)
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

-- table article_outlets on article_outlets
CREATE TABLE article_outlets (
	article_id INTEGER NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	feed_url TEXT NOT NULL, 
	PRIMARY KEY (article_id, outlet), 
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

-- table bloc_rollup on bloc_rollup
CREATE TABLE bloc_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	theme TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	central BOOLEAN NOT NULL, 
	articles INTEGER NOT NULL, 
	tone_sum FLOAT NOT NULL, 
	tone_count INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, theme, relevant, central)
);

-- table daily_rollup on daily_rollup
CREATE TABLE daily_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	theme TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	central BOOLEAN NOT NULL, 
	articles INTEGER NOT NULL, 
	tone_sum FLOAT NOT NULL, 
	tone_count INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, theme, relevant, central)
);

-- table event_rollup on event_rollup
CREATE TABLE event_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	category TEXT NOT NULL, 
	quad TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	events INTEGER NOT NULL, 
	weight_sum FLOAT NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, category, quad)
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
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, theme_a, theme_b, central)
);

-- table relations_rollup on relations_rollup
CREATE TABLE relations_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	direction TEXT NOT NULL, 
	articles INTEGER NOT NULL, 
	events INTEGER NOT NULL, 
	weight_sum FLOAT NOT NULL, 
	cooperation INTEGER NOT NULL, 
	"conflict" INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, relevant, direction)
);

-- table schema_migrations on schema_migrations
CREATE TABLE schema_migrations (
	version INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (version)
);

-- table term_rollup on term_rollup
CREATE TABLE term_rollup (
	day DATE NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	theme TEXT NOT NULL, 
	term TEXT NOT NULL, 
	central BOOLEAN NOT NULL, 
	hits INTEGER NOT NULL, 
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, bloc, relevant, theme, term, central)
);

-- table tone_rollup on tone_rollup
CREATE TABLE tone_rollup (
	day DATE NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	bin INTEGER NOT NULL, 
	articles INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, relevant, bin)
);

