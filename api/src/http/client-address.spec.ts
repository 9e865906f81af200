import type { IncomingMessage } from 'node:http';
import { clientAddressOf } from './client-address';

const req = (remoteAddress: string, xff?: string) =>
  ({
    socket: { remoteAddress },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For when no proxy is trusted (anyone can send it)', () => {
    expect(clientAddressOf(req('203.0.113.9', '198.51.100.1'), 0)).toBe('203.0.113.9');
  });

  it('behind one trusted proxy: the address that proxy saw, not what the client wrote further left', () => {
    expect(clientAddressOf(req('10.0.0.2', 'forged, 198.51.100.7'), 1)).toBe('198.51.100.7');
  });

  it('behind two trusted proxies: the second entry from the right', () => {
    expect(clientAddressOf(req('10.0.0.2', 'forged, 198.51.100.7, 10.0.0.1'), 2)).toBe('198.51.100.7');
  });

  it('without the header, or with fewer entries than hops, falls back to what is known', () => {
    expect(clientAddressOf(req('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientAddressOf(req('10.0.0.2', '198.51.100.7'), 3)).toBe('198.51.100.7');
  });
});
