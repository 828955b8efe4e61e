// Mutual TLS for an agency's webhook receiver: Rabt's dispatcher presents a client certificate
// issued by Rabt's CA (O=Rabt, OU=service, CN=dispatcher). Node-only (node:crypto, node:tls).
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, TlsOptions } from 'node:tls';

/** The subject of Rabt's dispatcher certificate, as Node prints it (one RDN a line). */
const DISPATCHER_SUBJECT = 'O=Rabt\nOU=service\nCN=dispatcher';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * Options for `https.createServer` that require a client certificate of Rabt's CA on every
 * connection (`caPem`: Rabt's CA certificate, as `rabt agencies cert issue` writes it to
 * ca.crt). A connection without one is refused during the handshake. Check each request with
 * verifyRabtClient: the CA also issues agencies' certificates, which must not pass.
 */
export function rabtClientTlsOptions(caPem: string | Buffer): Pick<TlsOptions, 'ca' | 'requestCert' | 'rejectUnauthorized'> {
  return { ca: caPem, requestCert: true, rejectUnauthorized: true };
}

/**
 * True when the connection of `request` (or the TLS socket itself) presented Rabt's dispatcher
 * certificate: verified by the TLS layer, signed by `caPem`, valid now, clientAuth, and exactly
 * the subject O=Rabt, OU=service, CN=dispatcher. Any other certificate of the same CA (an
 * agency's, another service's) and any connection without a certificate is false.
 */
export function verifyRabtClient(request: IncomingMessage | TLSSocket, caPem: string | Buffer, now: Date = new Date()): boolean {
  const socket = ('socket' in request && !('encrypted' in request) ? request.socket : request) as Partial<TLSSocket>;
  if (!socket.encrypted || socket.authorized !== true || typeof socket.getPeerX509Certificate !== 'function') return false;
  const peer = socket.getPeerX509Certificate();
  if (!peer) return false;
  try {
    const ca = new X509Certificate(caPem);
    if (peer.ca || !peer.checkIssued(ca) || !peer.verify(ca.publicKey)) return false;
    const from = Date.parse(peer.validFrom);
    const to = Date.parse(peer.validTo);
    if (!(from <= now.getTime() && now.getTime() <= to)) return false;
    if (!(peer.keyUsage ?? []).includes(CLIENT_AUTH)) return false;
    return peer.subject === DISPATCHER_SUBJECT;
  } catch {
    return false;
  }
}
