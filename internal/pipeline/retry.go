package pipeline

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/orderkit/orderkit/internal/header"
)

type stateKey struct{}

// callState follows one call through its attempts. go-retryablehttp's
// policy hooks never see the method; this does.
type callState struct {
	cfg *Config
	// ctx is the call's context; callCtx is ctx with the pipeline's values
	// (the state, the trace), and no attempt's timeout.
	ctx, callCtx context.Context
	// url, rreq and rc are the call's URL, request and retry client, held here to save
	// allocations; endFirst, when set, ends the first attempt's context,
	// which Client.do built with the attempt's timeout.
	url      url.URL
	rreq     retryablehttp.Request
	rc       retryablehttp.Client
	endFirst context.CancelFunc
	method   string
	// safe: GET, HEAD, PUT, DELETE, OPTIONS, or a POST declared idempotent.
	safe bool
	// The call's retry bounds: the client's, or the call option's.
	maxRetries                 int
	retryWaitMin, retryWaitMax time.Duration
	// For a write, set by the transport's trace hooks during an attempt:
	// the standard transport looked for a connection, and wrote headers.
	traceGetConn, traceWrote atomic.Bool
	// attempts counts the requests sent.
	attempts int
	// mayHaveActed: some attempt may have reached the server.
	mayHaveActed bool
	// outcomeUnknown: a POST got an answer that does not say whether it
	// was carried out (5xx, 408).
	outcomeUnknown bool
	nextWait       time.Duration

	// The answer's body, read by readBody inside the retry loop through lr.
	buf      *bytes.Buffer
	lr       io.LimitedReader
	limit    int64
	readErr  error
	tooLarge bool
	// rechecking: go-retryablehttp calls checkRetry a second time for the
	// same attempt after readBody; that call must not count an attempt.
	rechecking bool
}

// stateCtx is a call's context with its callState under stateKey: what
// context.WithValue(st.ctx, stateKey{}, st) would be, without an
// allocation of its own. Every other method and key is the call's.
type stateCtx callState

func (s *stateCtx) Deadline() (time.Time, bool) { return s.ctx.Deadline() }
func (s *stateCtx) Done() <-chan struct{}       { return s.ctx.Done() }
func (s *stateCtx) Err() error                  { return s.ctx.Err() }
func (s *stateCtx) Value(key any) any {
	if _, ok := key.(stateKey); ok {
		return (*callState)(s)
	}
	return s.ctx.Value(key)
}

// trace returns the hooks that tell, for a write, whether the standard
// transport wrote anything in an attempt.
func (st *callState) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:      func(string) { st.traceGetConn.Store(true) },
		WroteHeaders: func() { st.traceWrote.Store(true) },
	}
}

// provablyUnsent reports that the attempt just failed went through the
// standard transport (it looked for a connection) and never wrote a header:
// nothing reached the server. With another transport (a mock, a
// middleware that does not pass the trace on) nothing is proven.
func (st *callState) provablyUnsent() bool {
	return !st.safe && st.traceGetConn.Load() && !st.traceWrote.Load()
}

// responseHandler reads the answer inside go-retryablehttp's loop. A read
// that fails half-way goes to its second checkRetry, which retries it where
// the method allows.
func (st *callState) responseHandler(resp *http.Response) error {
	st.rechecking = true
	return st.readBody(resp)
}

// readBody reads the answer through the size cap (64 KiB for an error
// answer) into st.buf.
func (st *callState) readBody(resp *http.Response) error {
	st.limit = st.cfg.MaxResponseBytes
	if resp.StatusCode >= 300 {
		st.limit = maxErrorBody
	}
	if st.buf == nil {
		st.buf = bufPool.Get().(*bytes.Buffer)
	}
	st.buf.Reset()
	if resp.ContentLength > 0 && resp.ContentLength <= st.limit {
		st.buf.Grow(int(resp.ContentLength))
	}
	st.lr = io.LimitedReader{R: resp.Body, N: st.limit + 1}
	n, err := st.buf.ReadFrom(&st.lr)
	st.lr.R = nil
	st.tooLarge = n > st.limit
	if st.tooLarge {
		st.buf.Truncate(int(st.limit))
	}
	st.readErr = err
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	return nil
}

// release hands the body buffer back to the pool.
func (st *callState) release() {
	if st.buf != nil && st.buf.Cap() <= 1<<20 {
		bufPool.Put(st.buf)
	}
	st.buf = nil
}

func isSafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// checkRetry is go-retryablehttp's CheckRetry: it finds the call's state in
// the request's context, which every attempt's carries, so that no method
// value is allocated per call for it.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, ok := ctx.Value(stateKey{}).(*callState)
	if !ok {
		// Not a request of this pipeline: never retried.
		if err == nil {
			err = ctx.Err()
		}
		return false, err
	}
	return st.checkRetry(ctx, resp, err)
}

// checkRetry is the method-aware policy:
//   - safe calls: retried on connection errors and on 408, 429, 500, 502,
//     503, 504;
//   - POST: retried only when the server surely did not act: the
//     connection was never made, or it answered 429 or 503 with Retry-After;
//   - never on TLS certificate errors, refused redirects or a done context;
//   - never when the wait would pass the context's deadline.
func (st *callState) checkRetry(_ context.Context, resp *http.Response, err error) (bool, error) {
	// The call's context, not the request's: the first attempt's carries
	// that attempt's timeout, which must not stop a retry.
	ctx := st.ctx
	if st.rechecking {
		// The second look at an attempt whose answer checkRetry already
		// declined to retry: only a body that broke off changes that.
		st.rechecking = false
		if err == nil {
			return false, ctx.Err()
		}
	} else {
		st.attempts++
	}
	if err != nil && !notSent(err) && !st.provablyUnsent() {
		st.mayHaveActed = true
	}
	st.traceGetConn.Store(false)
	st.traceWrote.Store(false)
	if resp != nil && err == nil && !turnedAway(resp) {
		// An answer that does not say "not now" may come from a server
		// that acted, even if the caller's context ends before it is read.
		st.mayHaveActed = true
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	var wait time.Duration
	var hasWait bool
	if err != nil {
		if !retryableErr(err) {
			return false, err
		}
		if !st.safe && !notSent(err) {
			return false, err
		}
	} else {
		code := resp.StatusCode
		wait, hasWait = retryAfter(resp.Header, time.Now())
		if st.safe {
			if !retryableStatus(code) {
				return false, nil
			}
		} else if !turnedAway(resp) {
			if code >= 500 || code == http.StatusRequestTimeout {
				st.outcomeUnknown = true
			}
			return false, nil
		}
	}
	if st.attempts > st.maxRetries {
		return false, err
	}
	if hasWait {
		if wait > st.retryWaitMax {
			wait = st.retryWaitMax
		}
	} else {
		wait = expBackoff(st.retryWaitMin, st.retryWaitMax, st.attempts-1)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		// Waiting would outlast the caller's deadline: give the caller
		// the last answer now instead.
		return false, err
	}
	st.nextWait = wait
	return true, nil
}

// backoff hands go-retryablehttp the wait checkRetry chose; with an
// injected sleep (tests), it waits there and tells retryablehttp not to.
func (st *callState) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	if st.endFirst != nil {
		// The first attempt's context, with its timeout, ends here; the
		// wait and the retries run on the call's, and the transport gives
		// each retry a full timeout of its own.
		st.endFirst()
		st.endFirst = nil
		st.rreq.Request = st.rreq.Request.WithContext(st.callCtx)
	}
	if st.cfg.sleep != nil {
		st.cfg.sleep(st.ctx, st.nextWait)
		return 0
	}
	return st.nextWait
}

// errorHandler keeps the last answer, status and body, instead of
// go-retryablehttp's "giving up after N attempts", which drops them.
func (st *callState) errorHandler(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil && err == nil {
		// The last attempt's answer had a retryable status and retries are
		// used up: keep it, status and body, for the caller's error.
		_ = st.readBody(resp)
		return resp, nil
	}
	if resp != nil && st.readErr != nil {
		// An answer arrived but its body broke off: finish reports it,
		// status and all.
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
	}
	return nil, err
}

// expBackoff doubles from min at each attempt up to max, with jitter over
// the upper half so that many clients do not retry in step.
func expBackoff(min, max time.Duration, attempt int) time.Duration {
	if min <= 0 {
		return 0
	}
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// turnedAway reports an answer that says the server did not take the
// request up: 429 or 503 with Retry-After.
func turnedAway(resp *http.Response) bool {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return false
	}
	_, ok := retryAfter(resp.Header, time.Now())
	return ok
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) { return header.RetryAfter(h, now) }

// notSent reports whether err happened before the request could reach the
// server: a dial or DNS failure, a TLS handshake that failed its
// certificate check, or the client's own rate-limit wait.
func notSent(err error) bool {
	var ns notSentError
	if errors.As(err, &ns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return isCertError(err)
}

func isCertError(err error) bool {
	var (
		unknownAuth *x509.UnknownAuthorityError
		invalid     *x509.CertificateInvalidError
		hostname    *x509.HostnameError
		verify      *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &invalid) ||
		errors.As(err, &hostname) || errors.As(err, &verify)
}

// retryableErr: connection trouble is worth another try; a certificate
// that does not verify, a refused redirect or our own deadline check is not.
func retryableErr(err error) bool {
	if isCertError(err) || errors.Is(err, ErrRedirectRefused) {
		return false
	}
	var ns notSentError
	if errors.As(err, &ns) {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	msg := err.Error()
	if strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header") {
		return false
	}
	return true
}
