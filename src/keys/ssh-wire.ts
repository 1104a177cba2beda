// SSH wire encoding (RFC 4251 §5): uint32, string, mpint. Writers build buffers; SshReader
// consumes one and throws SshWireError on anything truncated or malformed.

export class SshWireError extends Error {
  override name = 'SshWireError';
}

export function sshUint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
}

/** string: uint32 length ‖ bytes. */
export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([sshUint32(bytes.length), bytes]);
}

/**
 * mpint of a non-negative integer given as unsigned big-endian bytes (leading zeros allowed):
 * minimal two's complement, i.e. leading zeros stripped and a 0x00 prepended when the top bit is set.
 */
export function sshMpint(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  let body = magnitude.subarray(i);
  if (body.length > 0 && (body[0]! & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
  return sshString(body);
}

export class SshReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  bytes(n: number): Buffer {
    if (n > this.remaining) throw new SshWireError(`truncated: wanted ${n} bytes, ${this.remaining} left`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  /** A string that must be printable-ish UTF-8 text (names, comments). */
  text(): string {
    const raw = this.string();
    const s = raw.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(raw)) throw new SshWireError('string is not valid UTF-8');
    return s;
  }

  /**
   * A non-negative mpint, returned as its minimal unsigned big-endian magnitude.
   * Rejects negative values and non-minimal encodings (superfluous leading 0x00).
   */
  mpint(): Buffer {
    const raw = this.string();
    if (raw.length === 0) return raw;
    if ((raw[0]! & 0x80) !== 0) throw new SshWireError('negative mpint');
    if (raw[0] === 0) {
      if (raw.length === 1 || (raw[1]! & 0x80) === 0) throw new SshWireError('non-minimal mpint');
      return raw.subarray(1);
    }
    return raw;
  }

  /** Throw unless every byte has been consumed. */
  end(): void {
    if (this.remaining !== 0) throw new SshWireError(`${this.remaining} trailing bytes`);
  }

  /** The unread tail. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }
}
