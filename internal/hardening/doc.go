// Package hardening holds tests only: fuzz targets that feed hostile answers
// through every orderkit client, faults on a real loopback socket, and a
// check that no credential leaks into an error, a log record, a panic or a
// redirect. Run the fuzz targets with .ci/fuzz.
package hardening
