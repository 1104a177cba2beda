// The crun engine's host-side tools for the CLI (`ec2lite images`, `ec2lite doctor`): only app/
// imports engines, so the commands reach the image cache and the host checks through here.
export { ImageCache, REAL_IMAGES, defaultImageCache } from '../engines/crun/images.js';
export { hostChecks } from '../engines/crun/host.js';
