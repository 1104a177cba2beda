// Numbered migrations for SQLite, applied in order once each. Append; never edit a shipped one.
export const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE key_pairs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        key_pair_id TEXT NOT NULL UNIQUE,
        key_name TEXT NOT NULL,
        key_type TEXT NOT NULL CHECK (key_type IN ('rsa', 'ed25519')),
        fingerprint TEXT NOT NULL,
        public_key TEXT NOT NULL,
        create_time INTEGER NOT NULL,
        UNIQUE (account_id, region, key_name)
      );
      CREATE TABLE tags (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (account_id, region, resource_id, key)
      );
      CREATE INDEX tags_by_resource ON tags (account_id, region, resource_id);
    `,
  },
  {
    version: 2,
    sql: `
      -- Instances and volumes keep their fields as JSON: they are read whole and filtered in code,
      -- and the few columns here are what must be indexed or constrained.
      CREATE TABLE instances (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX instances_by_scope ON instances (account_id, region);
      CREATE TABLE volumes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        volume_id TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL,
        filesystem TEXT
      );
      CREATE INDEX volumes_by_scope ON volumes (account_id, region);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `,
  },
  {
    version: 3,
    sql: `
      -- Key pairs per account and region, kept by triggers so the limit check inside the insert
      -- transaction reads one row instead of counting up to 5,000 index entries.
      CREATE TABLE key_pair_counts (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (account_id, region)
      );
      INSERT INTO key_pair_counts (account_id, region, n)
        SELECT account_id, region, count(*) FROM key_pairs GROUP BY account_id, region;
      CREATE TRIGGER key_pairs_count_insert AFTER INSERT ON key_pairs BEGIN
        INSERT INTO key_pair_counts (account_id, region, n) VALUES (NEW.account_id, NEW.region, 1)
          ON CONFLICT (account_id, region) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER key_pairs_count_delete AFTER DELETE ON key_pairs BEGIN
        UPDATE key_pair_counts SET n = n - 1 WHERE account_id = OLD.account_id AND region = OLD.region;
      END;
    `,
  },
  {
    version: 4,
    sql: `
      -- Volume and snapshot contents, apart from their API records: one document per id, layered
      -- on a base (a snapshot id or image:<template>) so a volume made from a snapshot stores only
      -- its changes (copy on write). Contents saved before this migration move here whole.
      CREATE TABLE block_data (
        id TEXT PRIMARY KEY,
        base TEXT,
        data TEXT NOT NULL,
        released INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX block_data_by_base ON block_data (base);
      INSERT INTO block_data (id, base, data) SELECT volume_id, NULL, filesystem FROM volumes WHERE filesystem IS NOT NULL;
      UPDATE volumes SET filesystem = NULL;
      CREATE TABLE snapshots (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        snapshot_id TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL
      );
      CREATE INDEX snapshots_by_scope ON snapshots (account_id, region);
      -- An account's image names are unique per region (InvalidAMIName.Duplicate).
      CREATE TABLE images (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        image_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE INDEX images_by_region ON images (region);
      -- One volume per device of an instance (AttachVolume's "Attachment point … is already in use").
      CREATE UNIQUE INDEX volumes_attachment_unique ON volumes
        (json_extract(data, '$.attachment.instanceId'), json_extract(data, '$.attachment.device'));
    `,
  },
  {
    version: 5,
    sql: `
      -- Launch templates and Auto Scaling state (launch configurations, groups with their members,
      -- scaling activities) as JSON documents named per account, region and kind.
      CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        parent TEXT,
        data TEXT NOT NULL,
        UNIQUE (account_id, region, kind, name)
      );
      CREATE INDEX documents_by_parent ON documents (account_id, region, kind, parent);
      CREATE INDEX documents_by_kind ON documents (kind);
      -- Who does a piece of background work (the reconciler of one group), until when.
      CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `,
  },
  {
    version: 6,
    sql: `
      -- Instance leases (docs/scaling.md, "Instances across nodes"): what the holder publishes about
      -- its lease (an instance's scope and SSH endpoint), and which node asked the holder to hand it over.
      ALTER TABLE leases ADD COLUMN info TEXT;
      ALTER TABLE leases ADD COLUMN wanted_by TEXT;
    `,
  },
  {
    version: 7,
    sql: `
      -- Instance user data (base64, up to 21,848 characters) beside the document, read only by
      -- DescribeInstanceAttribute and at boot.
      ALTER TABLE instances ADD COLUMN user_data TEXT;
    `,
  },
  {
    version: 8,
    sql: `
      -- Whole-scope key pair listings read in pages of seq (SQLite keeps the rowid, seq, in every index, in order).
      CREATE INDEX key_pairs_by_scope ON key_pairs (account_id, region);
    `,
  },
  {
    version: 9,
    sql: `
      -- Networking (issue 20): which account+Region has its default network, and every VPC,
      -- subnet, gateway, route table, ACL, DHCP option set, security group, rule, interface and
      -- Elastic IP as a JSON object. unique_key carries each kind's uniqueness (a group name in its
      -- VPC, a rule, a subnet CIDR, an interface's private address, a public address).
      CREATE TABLE network_scopes (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region)
      );
      CREATE TABLE network_objects (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        vpc_id TEXT,
        parent_id TEXT,
        unique_key TEXT,
        data TEXT NOT NULL,
        UNIQUE (account_id, region, kind, unique_key)
      );
      CREATE INDEX network_objects_by_kind ON network_objects (account_id, region, kind);
      CREATE INDEX network_objects_by_parent ON network_objects (parent_id);
    `,
  },
  {
    version: 11,
    sql: `
      -- Multi-Attach volumes (issue 23): their further attachments live in the document
      -- (moreAttachments); the few volumes that can have them are found through this index.
      CREATE INDEX volumes_multi_attach ON volumes (account_id, region) WHERE json_extract(data, '$.multiAttachEnabled') = 1;
    `,
  },
  {
    version: 12,
    sql: `
      -- EC2 Instance Connect: keys pushed with SendSSHPublicKey, valid until expires_at (ms).
      CREATE TABLE pushed_keys (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        os_user TEXT NOT NULL,
        public_key TEXT NOT NULL,
        request_id TEXT NOT NULL,
        pushed_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
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
        id TEXT NOT NULL,
        ino INTEGER NOT NULL,
        doc TEXT,
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
      -- tag's key and value, instances by state.
      CREATE INDEX key_pairs_by_fingerprint ON key_pairs (account_id, region, fingerprint);
      CREATE INDEX tags_by_key_value ON tags (account_id, region, key, value);
      CREATE INDEX instances_by_state ON instances (account_id, region, state);
    `,
  },
  // launch2 (issue 23)
  {
    version: 17,
    sql: `
      -- RunInstances' ClientToken, claimed in the transaction that inserts its instances (one
      -- launch per token even when two requests with it run at once).
      CREATE TABLE client_tokens (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        token TEXT NOT NULL,
        reservation_id TEXT NOT NULL,
        PRIMARY KEY (account_id, region, token)
      );
    `,
  },
];
