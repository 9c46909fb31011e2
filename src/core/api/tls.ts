/**
 * Certificate failures of an https connection, in words: what is wrong with the server's
 * certificate and what to do. The client never turns certificate checks off, and never suggests it.
 */

export interface CertificateProblem {
  /** "has expired", "is self-signed", ... : completes "the TLS certificate of HOST …". */
  problem: string;
  hint: string;
}

const PRIVATE_CA_HINT =
  'If the platform is reached through a corporate proxy or a private certificate authority, give its CA certificate to Node with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (for VS Code, set it in the environment VS Code starts from); otherwise check that the base URL or cluster is the documented Capillary API host.';

/** Node/OpenSSL error codes of certificate verification (tls.TLSSocket authorizationError, and the host name check). */
const CERTIFICATE_CODES: Record<string, CertificateProblem> = {
  CERT_HAS_EXPIRED: {
    problem: 'has expired',
    hint: "Check that this computer's date and time are right; if they are, the server's certificate must be renewed by whoever runs it (for a Capillary host, contact Capillary support).",
  },
  CERT_NOT_YET_VALID: {
    problem: 'is not valid yet',
    hint: "Check that this computer's date and time are right; if they are, the server's certificate is dated in the future and must be replaced by whoever runs it.",
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    problem: 'is for a different host name',
    hint: 'Check the base URL or cluster: use the host name the platform documents (not an IP address or an alias), as the certificate names it.',
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: { problem: 'is self-signed (not issued by a trusted certificate authority)', hint: PRIVATE_CA_HINT },
  SELF_SIGNED_CERT_IN_CHAIN: {
    problem: 'is issued by a self-signed certificate authority this computer does not trust',
    hint: PRIVATE_CA_HINT,
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    problem: 'cannot be verified (its issuer is unknown or the server sends an incomplete chain)',
    hint: PRIVATE_CA_HINT,
  },
  UNABLE_TO_GET_ISSUER_CERT: { problem: 'cannot be verified (its issuer is unknown)', hint: PRIVATE_CA_HINT },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    problem: 'is issued by a certificate authority this computer does not trust',
    hint: PRIVATE_CA_HINT,
  },
  CERT_UNTRUSTED: { problem: 'is not trusted', hint: PRIVATE_CA_HINT },
  CERT_REVOKED: {
    problem: 'has been revoked',
    hint: 'Do not use this host: its certificate was withdrawn by its issuer. Check the base URL or cluster.',
  },
  CERT_SIGNATURE_FAILURE: { problem: 'has an invalid signature', hint: PRIVATE_CA_HINT },
  CERT_CHAIN_TOO_LONG: { problem: 'has a chain too long to verify', hint: PRIVATE_CA_HINT },
  INVALID_CA: { problem: 'is issued by an invalid certificate authority', hint: PRIVATE_CA_HINT },
  HOSTNAME_MISMATCH: {
    problem: 'is for a different host name',
    hint: 'Check the base URL or cluster: use the host name the platform documents (not an IP address or an alias), as the certificate names it.',
  },
};

/** The certificate problem behind an error code, or undefined when the code is not about a certificate. */
export function certificateProblem(code: string | undefined): CertificateProblem | undefined {
  return code === undefined ? undefined : CERTIFICATE_CODES[code];
}
