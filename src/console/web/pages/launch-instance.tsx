// Launch an instance: Name and tags, AMI, Instance type, Key pair (with Create new key pair),
// Network settings (VPC, subnet, public IP, security groups: launch-network.tsx), Advanced details (User data, metadata options), Number of instances.
import { useEffect, useState } from 'preact/hooks';
import { childText, items, tagSpecParams, utf8Base64, type Params, type Tag } from '../api.js';
import { listImages, type Image } from '../instances-api.js';
import { listKeyPairs, type KeyPair } from './key-pairs.js';
import { CreateKeyPairForm } from './create-key-pair.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Modal, TagEditor } from '../ui.js';
import { navigate } from '../nav.js';
import { FormActions, useBusySubmit } from '../components/form.js';
import { DEFAULT_NETWORK, NetworkSettings, networkParams, type NetworkChoice } from './launch-network.js';

const INSTANCE_TYPES = ['t2.micro', 't3.micro', 't3.small', 't3.medium', 'm1.small', 'm5.large', 'c5.large', 'r5.large'];

export function LaunchInstancePage({ api, region }: PageProps) {
  const [images, setImages] = useState<Image[]>([]);
  const [keys, setKeys] = useState<KeyPair[]>([]);
  const [name, setName] = useState('');
  const [tags, setTags] = useState<Tag[]>([]);
  const [imageId, setImageId] = useState('');
  const [type, setType] = useState('t2.micro');
  const [keyName, setKeyName] = useState('');
  const [net, setNet] = useState<NetworkChoice>(DEFAULT_NETWORK);
  const [count, setCount] = useState(1);
  const [userData, setUserData] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [tokens, setTokens] = useState('');
  const [hopLimit, setHopLimit] = useState('');
  const [metadataTags, setMetadataTags] = useState('');
  const [creatingKey, setCreatingKey] = useState(false);
  const { error, setError, busy, submit } = useBusySubmit(async () => {
    const instanceTags = [...(name ? [{ key: 'Name', value: name }] : []), ...tags];
    const p: Params = {
      ImageId: imageId,
      InstanceType: type,
      MinCount: count,
      MaxCount: count,
      KeyName: keyName,
      ...(await networkParams(api, net)),
      'MetadataOptions.HttpEndpoint': endpoint,
      'MetadataOptions.HttpTokens': tokens,
      'MetadataOptions.HttpPutResponseHopLimit': hopLimit,
      'MetadataOptions.InstanceMetadataTags': metadataTags,
      ...tagSpecParams(1, 'instance', instanceTags),
    };
    if (userData) p.UserData = utf8Base64(userData);
    const r = await api.ec2('RunInstances', p);
    const ids = items(r, 'instancesSet').map((i) => childText(i, 'instanceId'));
    flash.set(`Successfully initiated launch of instance ${ids.join(', ')}`);
    navigate('#/Instances');
  });

  useEffect(() => {
    listImages(api)
      .then((list) => {
        setImages(list);
        setImageId((cur) => cur || list[0]?.id || '');
      })
      .catch(setError);
    listKeyPairs(api).then(setKeys).catch(setError);
  }, []);

  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/Instances">Instances</a> › Launch an instance
      </nav>
      <h1>Launch an instance</h1>
      <form class="form wide" onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset>
          <legend>Name and tags</legend>
          <label>
            Name
            <input name="name" value={name} placeholder="e.g. My Web Server" onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <details>
            <summary>Add additional tags</summary>
            <TagEditor tags={tags} onChange={setTags} />
          </details>
        </fieldset>
        <fieldset>
          <legend>Application and OS Images (Amazon Machine Image)</legend>
          <label>
            Amazon Machine Image (AMI)
            <select value={imageId} onChange={(e) => setImageId(e.currentTarget.value)} required>
              {images.map((i) => (
                <option value={i.id} key={i.id}>
                  {i.description || i.name} ({i.id}, {i.rootDeviceType})
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Instance type</legend>
          <label>
            Instance type
            <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
              {INSTANCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Key pair (login)</legend>
          <div class="inline">
            <label>
              Key pair name
              <select value={keyName} onChange={(e) => setKeyName(e.currentTarget.value)}>
                <option value="">Proceed without a key pair (Not recommended)</option>
                {keys.map((k) => (
                  <option value={k.name} key={k.id}>
                    {k.name} ({k.type})
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="secondary" onClick={() => setCreatingKey(true)}>
              Create new key pair
            </button>
          </div>
        </fieldset>
        <NetworkSettings api={api} region={region} value={net} onChange={setNet} />
        <details class="advanced">
          <summary>Advanced details</summary>
          <label>
            Metadata accessible
            <select value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value)}>
              <option value="">Select</option>
              <option value="enabled">Enabled</option>
              <option value="disabled">Disabled</option>
            </select>
          </label>
          <label>
            Metadata version
            <select value={tokens} onChange={(e) => setTokens(e.currentTarget.value)}>
              <option value="">Select</option>
              <option value="optional">V1 and V2 (token optional)</option>
              <option value="required">V2 only (token required)</option>
            </select>
          </label>
          <label>
            Metadata response hop limit
            <input type="number" min={1} max={64} value={hopLimit} onInput={(e) => setHopLimit(e.currentTarget.value)} />
          </label>
          <label>
            Allow tags in metadata
            <select value={metadataTags} onChange={(e) => setMetadataTags(e.currentTarget.value)}>
              <option value="">Select</option>
              <option value="enabled">Enable</option>
              <option value="disabled">Disable</option>
            </select>
          </label>
          <label>
            User data - optional
            <textarea rows={6} class="mono" value={userData} onInput={(e) => setUserData(e.currentTarget.value)} />
          </label>
        </details>
        <fieldset>
          <legend>Summary</legend>
          <label>
            Number of instances
            <input type="number" min={1} max={20} value={count} onInput={(e) => setCount(Number(e.currentTarget.value) || 1)} />
          </label>
        </fieldset>
        <FormActions cancel="#/Instances" label="Launch instance" disabled={busy || !imageId} />
      </form>
      {creatingKey && (
        <Modal title="Create key pair" onClose={() => setCreatingKey(false)}>
          <CreateKeyPairForm
            api={api}
            onCancel={() => setCreatingKey(false)}
            onCreated={(created) => {
              setCreatingKey(false);
              listKeyPairs(api)
                .then((list) => {
                  setKeys(list);
                  setKeyName(created);
                })
                .catch(setError);
            }}
          />
        </Modal>
      )}
    </section>
  );
}
