// Filesystem errors carry a POSIX errno name so that commands can print the
// same text coreutils prints ("cat: x: No such file or directory").

export type Errno =
  | 'ENOENT'
  | 'EACCES'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENOTEMPTY'
  | 'EPERM'
  | 'EFBIG'
  | 'ENOSPC'
  | 'EINVAL'
  | 'EBUSY'
  | 'EXDEV';

export const ERRNO_TEXT: Record<Errno, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EPERM: 'Operation not permitted',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
  EXDEV: 'Invalid cross-device link',
};

export class FsError extends Error {
  constructor(
    readonly code: Errno,
    readonly path: string,
  ) {
    super(`${path}: ${ERRNO_TEXT[code]}`);
    this.name = 'FsError';
  }
  get text(): string {
    return ERRNO_TEXT[this.code];
  }
}

export function isFsError(e: unknown): e is FsError {
  return e instanceof FsError;
}
