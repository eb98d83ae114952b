-- The test services' own state: a producer's notes, a consumer's record of what it applied.
CREATE TABLE notes (id uuid PRIMARY KEY, ordering_key text NOT NULL, seq integer NOT NULL, text text NOT NULL);
CREATE TABLE received (
    message_id uuid NOT NULL,
    note_id uuid NOT NULL,
    ordering_key text NOT NULL,
    seq integer NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    arrival bigint GENERATED ALWAYS AS IDENTITY
);
CREATE TABLE received_parts (note_id uuid NOT NULL, part integer NOT NULL);
