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

CREATE TABLE alerts (
	id SERIAL NOT NULL, 
	key TEXT NOT NULL, 
	watch TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	day DATE NOT NULL, 
	fired_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	summary TEXT NOT NULL, 
	detail TEXT NOT NULL, 
	attempts INTEGER NOT NULL, 
	last_error TEXT, 
	delivered_at TIMESTAMP WITH TIME ZONE, 
	delivered_to TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (key)
);

CREATE INDEX ix_alerts_fired ON alerts (fired_at);

CREATE INDEX ix_alerts_undelivered ON alerts (delivered_at, attempts);

CREATE TABLE article_actors (
	article_id INTEGER NOT NULL, 
	actor TEXT NOT NULL, 
	side TEXT NOT NULL, 
	mentions INTEGER NOT NULL, 
	PRIMARY KEY (article_id, actor), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

CREATE INDEX ix_article_actors_actor ON article_actors (actor, article_id);

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

CREATE INDEX ix_article_events_category ON article_events (category, article_id);

CREATE INDEX ix_article_events_quad ON article_events (quad, article_id);

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

CREATE TABLE article_lines (
	id INTEGER NOT NULL, 
	line TEXT NOT NULL, 
	terms TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(id) REFERENCES articles (id) ON DELETE CASCADE
);

CREATE TABLE article_outlets (
	article_id INTEGER NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	feed_url TEXT NOT NULL, 
	PRIMARY KEY (article_id, outlet), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

CREATE TABLE article_stories (
	article_id INTEGER NOT NULL, 
	story_id INTEGER NOT NULL, 
	copy_of INTEGER, 
	PRIMARY KEY (article_id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

CREATE INDEX ix_article_stories_story_id ON article_stories (story_id, article_id);

CREATE TABLE article_terms (
	article_id INTEGER NOT NULL, 
	theme TEXT NOT NULL, 
	term TEXT NOT NULL, 
	hits INTEGER NOT NULL, 
	PRIMARY KEY (article_id, theme, term), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

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

CREATE INDEX ix_article_themes_theme ON article_themes (theme, article_id);

CREATE TABLE articles (
	id SERIAL NOT NULL, 
	uid TEXT NOT NULL, 
	url TEXT NOT NULL, 
	guid TEXT, 
	title TEXT NOT NULL, 
	summary TEXT NOT NULL, 
	content TEXT NOT NULL, 
	fulltext TEXT NOT NULL, 
	analyzed_text TEXT NOT NULL, 
	published_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	published_day DATE NOT NULL, 
	published_estimated BOOLEAN NOT NULL, 
	fetched_at TIMESTAMP WITH TIME ZONE NOT NULL, 
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

CREATE INDEX ix_articles_bloc_day ON articles (bloc, published_day);

CREATE INDEX ix_articles_day ON articles (published_day);

CREATE INDEX ix_articles_demo ON articles (is_demo);

CREATE INDEX ix_articles_outlet_day ON articles (outlet, published_day);

CREATE INDEX ix_articles_published ON articles (published_at);

CREATE INDEX ix_articles_relevant_published ON articles (relevant, published_at);

CREATE INDEX ix_articles_tone ON articles (tone);

CREATE INDEX ix_articles_url ON articles (url);

CREATE INDEX ix_articles_versions ON articles (lexicon_version, analyzer_version);

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

CREATE INDEX ix_bloc_rollup_theme_day ON bloc_rollup (theme, day);

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

CREATE INDEX ix_rollup_theme_day ON daily_rollup (theme, day);

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

CREATE TABLE feed_attempts (
	id SERIAL NOT NULL, 
	feed_id INTEGER NOT NULL, 
	at TIMESTAMP WITH TIME ZONE NOT NULL, 
	status INTEGER, 
	error TEXT, 
	"new" INTEGER NOT NULL, 
	updated INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(feed_id) REFERENCES feeds (id) ON DELETE CASCADE
);

CREATE INDEX ix_feed_attempts_feed_at ON feed_attempts (feed_id, at);

CREATE TABLE feeds (
	id SERIAL NOT NULL, 
	url TEXT NOT NULL, 
	outlet TEXT NOT NULL, 
	bloc TEXT NOT NULL, 
	country TEXT NOT NULL, 
	language TEXT NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	etag TEXT, 
	last_modified TEXT, 
	next_check_at TIMESTAMP WITH TIME ZONE, 
	lease_until TIMESTAMP WITH TIME ZONE, 
	lease_owner TEXT, 
	last_attempt_at TIMESTAMP WITH TIME ZONE, 
	last_success_at TIMESTAMP WITH TIME ZONE, 
	last_status INTEGER, 
	last_error TEXT, 
	consecutive_errors INTEGER NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (url)
);

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
	conflict INTEGER NOT NULL, 
	PRIMARY KEY (day, outlet, bloc, relevant, direction, lang)
);

CREATE TABLE schema_migrations (
	version INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	applied_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (version)
);

CREATE TABLE stories (
	id INTEGER NOT NULL, 
	headline TEXT NOT NULL, 
	first_seen TIMESTAMP WITH TIME ZONE NOT NULL, 
	last_seen TIMESTAMP WITH TIME ZONE NOT NULL, 
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
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_stories_articles ON stories (articles);

CREATE INDEX ix_stories_first_day ON stories (first_day);

CREATE INDEX ix_stories_gap ON stories (gap);

CREATE INDEX ix_stories_last_seen ON stories (last_seen);

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

CREATE TABLE watches (
	id SERIAL NOT NULL, 
	name TEXT NOT NULL, 
	filters TEXT NOT NULL, 
	sensitivity TEXT NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

