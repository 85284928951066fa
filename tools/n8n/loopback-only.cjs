// Preloaded into every n8n process the tests start (NODE_OPTIONS=--require ...): a TCP
// connection or DNS lookup to anything but this machine's loopback is refused and written,
// one JSON line each, to the file N8N_OUTSIDE_LOG names. The tests then check that file is
// empty: n8n, with the settings tests/n8n_server.py gives it, tries to reach nothing
// outside (issue 16). The machine's network is closed anyway; refusing here keeps a stray
// attempt from waiting on a timeout, and the log makes it visible.
'use strict';
const fs = require('fs');
const net = require('net');
const dns = require('dns');

const logPath = process.env.N8N_OUTSIDE_LOG;

function isLocal(host) {
  if (host === undefined || host === null || host === '') return true; // net's default: localhost
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' ||
    /^127\./.test(h) || /^::ffff:127\./.test(h)
  );
}

function record(kind, target) {
  if (!logPath) return;
  const line = JSON.stringify({ kind, target, pid: process.pid, at: new Date().toISOString() });
  try {
    fs.appendFileSync(logPath, line + '\n');
  } catch (error) {
    // the log folder is gone (the session is ending): nothing left to tell
  }
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect and http's agent pass the arguments already normalized, as one array.
  const normalized = Array.isArray(args[0]) ? args[0] : net._normalizeArgs(args);
  const options = normalized[0] || {};
  if (!options.path && !isLocal(options.host)) { // a truthy path is a local socket
    const target = `${options.host}:${options.port}`;
    record('connect', target);
    process.nextTick(() => this.destroy(new Error(`outside address refused in tests: ${target}`)));
    return this;
  }
  return connect.apply(this, args);
};

function guardLookup(original) {
  return function (hostname, ...rest) {
    if (!isLocal(hostname)) {
      record('lookup', hostname);
      const callback = rest[rest.length - 1];
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND', hostname,
      });
      if (typeof callback === 'function') {
        process.nextTick(() => callback(error));
        return undefined;
      }
    }
    return original.call(this, hostname, ...rest);
  };
}
dns.lookup = guardLookup(dns.lookup);
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  if (!isLocal(hostname)) {
    record('lookup', hostname);
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND', hostname,
    });
    return Promise.reject(error);
  }
  return promisesLookup.call(this, hostname, ...rest);
};
