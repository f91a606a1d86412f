"""The schema, as numbered migrations run at start-up.

Never edit a migration that has shipped: append a new one. ``PRAGMA
user_version`` holds the number of the last one applied. A migration that
begins with ``REBUILDS`` remakes a table (SQLite's way to change a column):
it runs with foreign keys off, as SQLite asks for that, and is refused unless
every foreign key still holds afterwards.
"""

from __future__ import annotations

#: The first line of a migration that remakes a table (its first characters).
REBUILDS = "-- rebuilds a table"

MIGRATIONS: list[str] = [
    # 1: facilitator accounts and their login sessions.
    """
    CREATE TABLE facilitators (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'nb',
        created_at TEXT NOT NULL
    );
    CREATE TABLE logins (
        token_hash TEXT PRIMARY KEY,
        facilitator_id INTEGER NOT NULL REFERENCES facilitators(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX logins_facilitator ON logins(facilitator_id);
    CREATE TABLE app_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: programmes, their facilitators, sessions and agendas.
    """
    CREATE TABLE programmes (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        client TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE programme_facilitators (
        programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
        facilitator_id INTEGER NOT NULL REFERENCES facilitators(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'co')),
        PRIMARY KEY (programme_id, facilitator_id)
    );
    CREATE INDEX programme_facilitators_by_facilitator
        ON programme_facilitators(facilitator_id);
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        date TEXT,
        place TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE INDEX sessions_programme ON sessions(programme_id);
    CREATE TABLE agenda_items (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        start TEXT,
        duration_min INTEGER NOT NULL CHECK (duration_min >= 0),
        kind TEXT NOT NULL CHECK (kind IN ('talk', 'break', 'exercise')),
        notes TEXT NOT NULL DEFAULT '',
        exercise_kind TEXT,
        settings TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX agenda_items_session ON agenda_items(session_id, position);
    """,
    # 3: the live loop: a session's live state, phones, responses and themes.
    """
    ALTER TABLE sessions ADD COLUMN join_code TEXT;
    ALTER TABLE sessions ADD COLUMN live_state TEXT NOT NULL DEFAULT 'planned'
        CHECK (live_state IN ('planned', 'live', 'closed'));
    ALTER TABLE sessions ADD COLUMN current_item_id INTEGER
        REFERENCES agenda_items(id) ON DELETE SET NULL;
    ALTER TABLE sessions ADD COLUMN results_visible INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE sessions ADD COLUMN responses_locked INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN started_at TEXT;
    CREATE UNIQUE INDEX sessions_join_code ON sessions(join_code) WHERE join_code IS NOT NULL;
    CREATE TABLE retired_codes (
        code TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE
    );
    ALTER TABLE agenda_items ADD COLUMN actual_start TEXT;
    ALTER TABLE agenda_items ADD COLUMN timer_ends_at TEXT;
    ALTER TABLE agenda_items ADD COLUMN timer_paused_ms INTEGER;
    CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE INDEX participants_session ON participants(session_id);
    CREATE TABLE themes (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE INDEX themes_item ON themes(item_id, position);
    CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        idem_key TEXT NOT NULL,
        value TEXT NOT NULL,
        hidden INTEGER NOT NULL DEFAULT 0,
        highlighted INTEGER NOT NULL DEFAULT 0,
        theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (participant_id, idem_key)
    );
    CREATE INDEX responses_item ON responses(item_id, id);
    """,
    # 4: the facilitator's live curation of an item's responses (merges, hidden entries)
    """
    CREATE TABLE item_curation (
        item_id INTEGER PRIMARY KEY REFERENCES agenda_items(id) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    """,
    # 5: moderation (responses held for approval, a blocklist per programme) and votes.
    """
    ALTER TABLE responses ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE programmes ADD COLUMN blocklist TEXT NOT NULL DEFAULT '';
    CREATE TABLE response_votes (
        response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        PRIMARY KEY (response_id, participant_id)
    ) WITHOUT ROWID;
    CREATE INDEX response_votes_participant ON response_votes(participant_id);
    """,
    # 6: groups (a programme's network groups, or formed on the spot for one session),
    # phones in groups, group work: phases, roles, private notes, the groups' lists.
    """
    CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
        session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        members TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE INDEX groups_programme ON groups(programme_id, session_id, position);
    ALTER TABLE participants ADD COLUMN group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL;
    ALTER TABLE responses ADD COLUMN group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL;
    ALTER TABLE responses ADD COLUMN position INTEGER;
    CREATE INDEX responses_group ON responses(item_id, group_id, position);
    ALTER TABLE agenda_items ADD COLUMN phase INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE roles (
        item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        role INTEGER NOT NULL,
        PRIMARY KEY (item_id, participant_id)
    ) WITHOUT ROWID;
    CREATE TABLE notes (
        item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (item_id, participant_id)
    ) WITHOUT ROWID;
    """,
    # 7: a response counts its edits, so an edit made on a stale copy can be refused; its
    # id is never given again after a delete (AUTOINCREMENT: a mark made on a deleted
    # response cannot land on a new one); the idempotency keys of deleted responses are
    # kept, so a late retry cannot bring one back.
    """-- rebuilds a table
    CREATE TABLE responses_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        idem_key TEXT NOT NULL,
        value TEXT NOT NULL,
        hidden INTEGER NOT NULL DEFAULT 0,
        highlighted INTEGER NOT NULL DEFAULT 0,
        theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0,
        group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
        position INTEGER,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (participant_id, idem_key)
    );
    INSERT INTO responses_new (id, item_id, participant_id, idem_key, value, hidden,
        highlighted, theme_id, created_at, updated_at, pending, group_id, position)
        SELECT id, item_id, participant_id, idem_key, value, hidden, highlighted, theme_id,
        created_at, updated_at, pending, group_id, position FROM responses;
    DROP TABLE responses;
    ALTER TABLE responses_new RENAME TO responses;
    CREATE INDEX responses_item ON responses(item_id, id);
    CREATE INDEX responses_group ON responses(item_id, group_id, position);
    CREATE TABLE spent_keys (
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        idem_key TEXT NOT NULL,
        PRIMARY KEY (participant_id, idem_key)
    ) WITHOUT ROWID;
    """,
    # A phone's answers to an item, counted on every answer against its limit: without
    # this index the count walked every answer to the item (quadratic in a burst).
    """
    CREATE INDEX responses_participant ON responses(participant_id, item_id);
    """,
    # The presenter's own switches, kept across a reload of the projector's page: how the
    # join code shows ('auto': large on the first item, then a corner badge), whether it
    # shows the item's themes instead of its result, and whether its paging is paused.
    """
    ALTER TABLE sessions ADD COLUMN join_banner TEXT NOT NULL DEFAULT 'auto';
    ALTER TABLE sessions ADD COLUMN present_view TEXT NOT NULL DEFAULT 'results';
    ALTER TABLE sessions ADD COLUMN paging_paused INTEGER NOT NULL DEFAULT 0;
    """,
    # A person across a programme's sessions, for what only they read (private
    # reflections): the phone's long-lived device cookie names them, or their recovery code
    # (kept hashed) on another phone; each participant of a session links to its person.
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        code_hash TEXT UNIQUE,
        created_at TEXT NOT NULL
    );
    ALTER TABLE participants ADD COLUMN person_id INTEGER REFERENCES people(id)
        ON DELETE SET NULL;
    CREATE INDEX participants_person ON participants(person_id);
    """,
    # When the session was closed: the record of the day says how long its last item took.
    """
    ALTER TABLE sessions ADD COLUMN closed_at TEXT;
    """,
    # Saved versions of a draft (kinds that keep them: a group's text, or the common one),
    # per thread of a programme, so a later session continues them; never changed or
    # deleted. A group's version keeps the group's name, in case the group goes.
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
        thread TEXT NOT NULL,
        common INTEGER NOT NULL,
        group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
        group_name TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX drafts_thread ON drafts(programme_id, thread, id);
    """,
    # A phone's saved version carries its request's key: a retried post saves it once.
    """
    ALTER TABLE drafts ADD COLUMN participant_id INTEGER REFERENCES participants(id)
        ON DELETE SET NULL;
    ALTER TABLE drafts ADD COLUMN idem_key TEXT;
    CREATE UNIQUE INDEX drafts_key ON drafts(participant_id, idem_key)
        WHERE idem_key IS NOT NULL;
    """,
    # The participants' language: a programme's (bokmål unless set), and a session's own
    # ('' follows its programme's). The presenter and the phones use it; a phone can
    # choose another.
    """
    ALTER TABLE programmes ADD COLUMN language TEXT NOT NULL DEFAULT 'nb';
    ALTER TABLE sessions ADD COLUMN language TEXT NOT NULL DEFAULT '';
    """,
    # The language a phone was using when it sent a response ('' for the responses stored
    # before: not known), so its text can be marked as in that language where it is shown.
    """
    ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT '';
    """,
    # The facilitator's turns of the presenter's page by hand on the current item (a net
    # count: Next page +1, Previous page -1; 0 again on another item), so every screen
    # turns at once and a reloaded presenter opens on the page turned to.
    """
    ALTER TABLE sessions ADD COLUMN page_turn INTEGER NOT NULL DEFAULT 0;
    """,
]
