// Numbered migrations for PostgreSQL, applied in order once each, under an advisory lock (see
// postgres-store.ts). Append; never edit a shipped one. Tables are created unqualified, in the
// first schema of the connection's search_path, so one database can hold several isolated stores.
export const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      -- One row per (account, region) that has ever written: the row a writer locks (FOR UPDATE)
      -- before counting, so a per-scope limit holds across nodes.
      CREATE TABLE scopes (
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        PRIMARY KEY (account_id, region)
      );
      CREATE TABLE key_pairs (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        key_pair_id text COLLATE "C" NOT NULL,
        key_name text COLLATE "C" NOT NULL,
        key_type text NOT NULL CHECK (key_type IN ('rsa', 'ed25519')),
        fingerprint text NOT NULL,
        public_key text NOT NULL,
        create_time timestamptz NOT NULL,
        CONSTRAINT key_pairs_id_unique UNIQUE (key_pair_id),
        CONSTRAINT key_pairs_name_unique UNIQUE (account_id, region, key_name)
      );
      CREATE TABLE tags (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        resource_id text COLLATE "C" NOT NULL,
        resource_type text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        value text COLLATE "C" NOT NULL,
        CONSTRAINT tags_key_unique UNIQUE (account_id, region, resource_id, key)
      );
    `,
  },
];
