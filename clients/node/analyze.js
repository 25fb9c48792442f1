#!/usr/bin/env node
// Sends one text to an nlpd server (nlpd.v1.AnalysisService/Analyze, the
// "entities" analysis) and prints one line per entity: LABEL<TAB>text.
//
//   node analyze.js --target 127.0.0.1:50051 "Angela Merkel besuchte Paris."
//
// The .proto files are loaded at run time from the repository's proto/
// directory (@grpc/proto-loader): no generated code. On an error it prints the
// gRPC status on stderr and exits with 1 (2 for a usage error).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_DIR = path.resolve(__dirname, '..', '..', 'proto');

const USAGE = `usage: node analyze.js [options] TEXT

Sends TEXT to nlpd's Analyze (analysis "entities") and prints one line per
entity: LABEL<TAB>text. TEXT "-" reads the text from stdin.

options:
  --target HOST:PORT   the server (default 127.0.0.1:50051)
  --language TAG       BCP-47 tag of the text ("de", "en"); default: the server identifies it
  --token TOKEN        bearer token (default $NLPD_TOKEN)
  --tls-ca FILE        PEM file of the CA that signed the server's certificate; turns on TLS
  --tls-cert FILE      client certificate, PEM (mutual TLS; with --tls-key)
  --tls-key FILE       client private key, PEM (mutual TLS; with --tls-cert)
  --timeout SECONDS    deadline of the call (default 30)
  -h, --help           this text
`;

// grpc.status maps names to numbers; this maps numbers to names ("NOT_FOUND").
const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status).map(([name, number]) => [number, name]),
);

function usageError(message) {
  process.stderr.write(`analyze: ${message}\n${USAGE}`);
  process.exit(2);
}

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string', default: '127.0.0.1:50051' },
        language: { type: 'string', default: '' },
        token: { type: 'string', default: process.env.NLPD_TOKEN || '' },
        'tls-ca': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        timeout: { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usageError(err.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) usageError('expected exactly one TEXT argument');
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) usageError(`--timeout: not a positive number of seconds: ${values.timeout}`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    usageError('--tls-cert and --tls-key go together');
  }
  return { ...values, timeout, text: positionals[0] };
}

// TLS when a CA (or a client certificate) is given, plain text otherwise.
function channelCredentials(options) {
  if (!options['tls-ca'] && !options['tls-cert']) return grpc.credentials.createInsecure();
  const read = (file) => (file ? fs.readFileSync(file) : null);
  return grpc.credentials.createSsl(
    read(options['tls-ca']),
    read(options['tls-key']),
    read(options['tls-cert']),
  );
}

function loadService() {
  const definition = protoLoader.loadSync('nlpd/v1/nlpd.proto', {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  return grpc.loadPackageDefinition(definition).nlpd.v1.AnalysisService;
}

function main() {
  const options = parse(process.argv.slice(2));
  const text = options.text === '-' ? fs.readFileSync(0, 'utf8') : options.text;
  let credentials;
  try {
    credentials = channelCredentials(options);
  } catch (err) {
    usageError(err.message);
  }
  const AnalysisService = loadService();
  const client = new AnalysisService(options.target, credentials);
  const metadata = new grpc.Metadata();
  if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
  const request = { text, analyses: ['entities'], language: options.language };
  const deadline = new Date(Date.now() + options.timeout * 1000);
  client.Analyze(request, metadata, { deadline }, (err, response) => {
    client.close();
    if (err) {
      const name = STATUS_NAMES[err.code] || `code ${err.code}`;
      process.stderr.write(`analyze: ${name}: ${err.details}\n`);
      process.exitCode = 1;
      return;
    }
    const entities = (response.entities && response.entities.entities) || [];
    process.stdout.write(entities.map((e) => `${e.label}\t${e.text}\n`).join(''));
  });
}

main();
