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
  {
    version: 2,
    sql: `
      -- Instances and volumes keep their fields as JSON documents (see ../../json-records.ts):
      -- read whole and filtered in code; the columns here are what is indexed or constrained.
      CREATE TABLE instances (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        instance_id text COLLATE "C" NOT NULL,
        state text NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT instances_id_unique UNIQUE (instance_id)
      );
      CREATE INDEX instances_by_scope ON instances (account_id, region);
      CREATE INDEX instances_live ON instances (seq) WHERE state <> 'terminated';
      CREATE TABLE volumes (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        volume_id text COLLATE "C" NOT NULL,
        data jsonb NOT NULL,
        -- The guest's filesystem: an opaque document, kept as text (it is never queried).
        filesystem text,
        CONSTRAINT volumes_id_unique UNIQUE (volume_id)
      );
      CREATE INDEX volumes_by_scope ON volumes (account_id, region);
      CREATE TABLE counters (name text COLLATE "C" PRIMARY KEY, value bigint NOT NULL);
    `,
  },
  {
    version: 3,
    sql: `
      -- Key pairs per account and region, kept in the scope's row: the insert takes the row lock,
      -- bumps the count only while under the limit, and inserts, all in one statement.
      ALTER TABLE scopes ADD COLUMN key_pairs integer NOT NULL DEFAULT 0;
      INSERT INTO scopes (account_id, region, key_pairs)
        SELECT account_id, region, count(*) FROM key_pairs GROUP BY account_id, region
        ON CONFLICT (account_id, region) DO UPDATE SET key_pairs = excluded.key_pairs;
    `,
  },
  {
    version: 4,
    sql: `
      -- Volume and snapshot contents, apart from their API records: one document per id, layered
      -- on a base (a snapshot id or image:<template>) so a volume made from a snapshot stores only
      -- its changes (copy on write). Contents saved before this migration move here whole.
      CREATE TABLE block_data (
        id text COLLATE "C" PRIMARY KEY,
        base text COLLATE "C",
        data text NOT NULL,
        released boolean NOT NULL DEFAULT false
      );
      CREATE INDEX block_data_by_base ON block_data (base);
      INSERT INTO block_data (id, base, data) SELECT volume_id, NULL, filesystem FROM volumes WHERE filesystem IS NOT NULL;
      UPDATE volumes SET filesystem = NULL;
      CREATE TABLE snapshots (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        snapshot_id text COLLATE "C" NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT snapshots_id_unique UNIQUE (snapshot_id)
      );
      CREATE INDEX snapshots_by_scope ON snapshots (account_id, region);
      -- An account's image names are unique per region (InvalidAMIName.Duplicate).
      CREATE TABLE images (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        image_id text COLLATE "C" NOT NULL,
        name text COLLATE "C" NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT images_id_unique UNIQUE (image_id),
        CONSTRAINT images_name_unique UNIQUE (account_id, region, name)
      );
      CREATE INDEX images_by_region ON images (region);
      -- One volume per device of an instance (AttachVolume's "Attachment point … is already in use").
      CREATE UNIQUE INDEX volumes_attachment_unique ON volumes
        ((data->'attachment'->>'instanceId'), (data->'attachment'->>'device'));
    `,
  },
  {
    version: 5,
    sql: `
      -- Launch templates and Auto Scaling state (launch configurations, groups with their members,
      -- scaling activities) as JSON documents named per account, region and kind.
      CREATE TABLE documents (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        name text COLLATE "C" NOT NULL,
        parent text COLLATE "C",
        data jsonb NOT NULL,
        CONSTRAINT documents_name_unique UNIQUE (account_id, region, kind, name)
      );
      CREATE INDEX documents_by_parent ON documents (account_id, region, kind, parent);
      CREATE INDEX documents_by_kind ON documents (kind);
      -- Who does a piece of background work (the reconciler of one group), until when (database clock).
      CREATE TABLE leases (name text COLLATE "C" PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL);
    `,
  },
  {
    version: 6,
    sql: `
      -- Instance leases (docs/scaling.md, "Instances across nodes"): what the holder publishes about
      -- its lease (an instance's scope and SSH endpoint), and which node asked the holder to hand it over.
      ALTER TABLE leases ADD COLUMN info text;
      ALTER TABLE leases ADD COLUMN wanted_by text;
    `,
  },
  {
    version: 7,
    sql: `
      -- Instance user data (base64, up to 21,848 characters) beside the document, read only by
      -- DescribeInstanceAttribute and at boot.
      ALTER TABLE instances ADD COLUMN user_data text;
    `,
  },
  {
    version: 8,
    sql: `
      -- Whole-scope key pair listings read in pages of seq.
      CREATE INDEX key_pairs_by_scope ON key_pairs (account_id, region, seq);
    `,
  },
  {
    version: 9,
    sql: `
      -- Networking (issue 20): see the SQLite migration 9.
      CREATE TABLE network_scopes (
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, region)
      );
      CREATE TABLE network_objects (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL UNIQUE,
        vpc_id text COLLATE "C",
        parent_id text COLLATE "C",
        unique_key text COLLATE "C",
        data jsonb NOT NULL,
        UNIQUE (account_id, region, kind, unique_key)
      );
      CREATE INDEX network_objects_by_kind ON network_objects (account_id, region, kind, seq);
      CREATE INDEX network_objects_by_parent ON network_objects (parent_id);
    `,
  },
  {
    version: 11,
    sql: `
      -- Multi-Attach volumes (issue 23): their further attachments live in the document
      -- (moreAttachments); the few volumes that can have them are found through this index.
      CREATE INDEX volumes_multi_attach ON volumes (account_id, region) WHERE (data->>'multiAttachEnabled') = 'true';
    `,
  },
  {
    version: 12,
    sql: `
      -- EC2 Instance Connect: keys pushed with SendSSHPublicKey, valid until expires_at.
      CREATE TABLE pushed_keys (
        seq bigserial PRIMARY KEY,
        account_id text NOT NULL,
        region text NOT NULL,
        instance_id text NOT NULL,
        os_user text NOT NULL,
        public_key text NOT NULL,
        request_id text NOT NULL,
        pushed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX pushed_keys_by_instance ON pushed_keys (account_id, region, instance_id, expires_at);
    `,
  },
  // avail (issue 19)
  {
    version: 14,
    sql: `
      -- A volume's inodes one row each (block_data keeps the layer's header document): a change
      -- writes the inodes it touched instead of re-serialising the whole volume. doc NULL: the
      -- inode is removed on top of the layer's base.
      CREATE TABLE block_inodes (
        id text COLLATE "C" NOT NULL,
        ino integer NOT NULL,
        doc text,
        PRIMARY KEY (id, ino)
      );
    `,
  },
  // perf (issue 25)
  {
    version: 15,
    sql: `
      -- Describe filters with exact values answered by index lookups instead of a scan of the
      -- scope: key pairs by fingerprint (names and ids have their unique keys), any resource by a
      -- tag's key and value, instances by state (seq last: a page in launch order reads in order).
      CREATE INDEX key_pairs_by_fingerprint ON key_pairs (account_id, region, fingerprint);
      CREATE INDEX tags_by_key_value ON tags (account_id, region, key, value);
      CREATE INDEX instances_by_state ON instances (account_id, region, state, seq);
    `,
  },
  // launch2 (issue 23)
  {
    version: 17,
    sql: `
      -- RunInstances' ClientToken, claimed in the transaction that inserts its instances: the
      -- primary key makes two concurrent launches with one token (two nodes completing the same
      -- Auto Scaling launch) insert once; the other answers with the first one's instances.
      CREATE TABLE client_tokens (
        account_id text COLLATE "C" NOT NULL,
        region text COLLATE "C" NOT NULL,
        token text COLLATE "C" NOT NULL,
        reservation_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (account_id, region, token)
      );
    `,
  },
];
