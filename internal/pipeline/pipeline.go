package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"golang.org/x/time/rate"
)

// Client sends requests for one API client. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	decode  ErrorDecoder
	headers http.Header
}

// New checks cfg and builds a Client. cfg should start from NewConfig, so
// that unset settings hold the defaults.
func New(cfg Config) (*Client, error) {
	if cfg.API == "" {
		cfg.API = "orderkit"
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.Opaque != "" {
		return nil, Invalid(cfg.API, "base URL %s is not an absolute http or https URL such as \"https://host/api\"", quoteURL(cfg.BaseURL))
	}
	if base.User != nil {
		return nil, Invalid(cfg.API, "base URL %s must not carry credentials", quoteURL(cfg.BaseURL))
	}
	base.RawQuery, base.Fragment = "", ""
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
		if base.RawPath != "" {
			base.RawPath += "/"
		}
	}
	if cfg.Auth != nil && base.Scheme == "http" && !cfg.AllowInsecureHTTP && !isLoopback(base.Hostname()) {
		return nil, Invalid(cfg.API, "refusing to send credentials over plain http to %s; use https, or opt in with WithInsecureHTTP", base.Host)
	}
	if err := checkHeaders(&cfg); err != nil {
		return nil, err
	}
	if cfg.Format != JSON && cfg.Format != XML {
		return nil, Invalid(cfg.API, "unknown wire format %d", cfg.Format)
	}
	switch {
	case cfg.MaxRetries < 0:
		return nil, Invalid(cfg.API, "negative retry count %d", cfg.MaxRetries)
	case cfg.RetryWaitMin < 0 || cfg.RetryWaitMax < cfg.RetryWaitMin:
		return nil, Invalid(cfg.API, "retry waits %v to %v are not an interval", cfg.RetryWaitMin, cfg.RetryWaitMax)
	case cfg.Timeout < 0:
		return nil, Invalid(cfg.API, "negative timeout %v", cfg.Timeout)
	case cfg.MaxResponseBytes < 0:
		return nil, Invalid(cfg.API, "negative response size cap %d", cfg.MaxResponseBytes)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "orderkit/" + Version + " (" + cfg.API + ")"
	}
	c := &Client{cfg: cfg, base: base, decode: cfg.DecodeError}
	if c.decode == nil {
		c.decode = genericError
	}
	c.headers = cfg.Header.Clone()
	if c.headers == nil {
		c.headers = http.Header{}
	}
	c.headers.Set("User-Agent", cfg.UserAgent)
	c.headers.Set("Accept", contentType(cfg.Format))
	c.http = c.newHTTPClient()
	return c, nil
}

// quoteURL quotes a base URL as the caller gave it, with any user info and
// any query replaced: the error must not carry a password or a key.
func quoteURL(raw string) string {
	// The user info is what lies before the last "@" of the authority, the
	// text between "//" and the first "/", "?" or "#" after it.
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	end := len(raw)
	if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
		end = start + j
	}
	// A query or fragment may carry a key (?api_key=…): it is left out.
	if q := strings.IndexAny(raw[end:], "?#"); q >= 0 {
		raw = raw[:end+q] + "?[REDACTED]"
	}
	if at := strings.LastIndex(raw[start:end], "@"); at >= 0 {
		return strconv.Quote(raw[:start] + "[REDACTED]" + raw[start+at:])
	}
	return strconv.Quote(raw)
}

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.base.String() }

// Config returns the settings in force, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

func (c *Client) newHTTPClient() *http.Client {
	var hc http.Client
	if c.cfg.HTTPClient != nil {
		hc = *c.cfg.HTTPClient
	}
	base := hc.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32
		base = t
	}
	hc.Transport = &transport{base: base, cfg: &c.cfg}
	hc.CheckRedirect = checkRedirect
	return &hc
}

// checkRedirect follows a redirect only to the same scheme and host: net/http
// would forward custom credential headers (X-ADILITY-API-KEY) to any host.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%w: stopped after 10 redirects", ErrRedirectRefused)
	}
	prev := via[len(via)-1].URL
	if req.URL.Host != prev.Host || (prev.Scheme == "https" && req.URL.Scheme != "https") {
		return fmt.Errorf("%w: %s://%s to %s://%s", ErrRedirectRefused, prev.Scheme, prev.Host, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// Request is one call to the API.
type Request struct {
	Method string
	// Path is resolved against the base URL; build it with Path.
	Path  string
	Query url.Values
	// Body is encoded in the client's format; Form is sent urlencoded
	// instead. At most one of them.
	Body any
	Form url.Values
	// Header is added to the client's headers for this call; a key with
	// no values removes the client's header of that name for this call.
	Header http.Header
	// Auth replaces the client's credentials for this call.
	Auth Auth
	// Idempotent declares that sending this POST twice does no harm (the
	// API deduplicates it), so it may be retried like a GET.
	Idempotent bool
	// Call holds the caller's call options (Calls builds them): a header,
	// retries, a timeout, capture of the response metadata.
	Call config.CallSettings
}

// Path joins escaped segments into a path: Path("orders", "A/1") is
// "orders/A%2F1". Empty segments are kept out.
func Path(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

func (c *Client) resolve(path string, q url.Values) (*url.URL, error) {
	u := new(url.URL)
	if err := c.resolveInto(u, path, q); err != nil {
		return nil, err
	}
	return u, nil
}

// resolveInto sets *u to path and q resolved against the base URL.
func (c *Client) resolveInto(u *url.URL, path string, q url.Values) error {
	p := strings.TrimPrefix(path, "/")
	if strings.HasPrefix(p, "/") {
		return Invalid(c.cfg.API, "invalid path %q", path)
	}
	for rest := p; ; {
		seg, more, found := strings.Cut(rest, "/")
		if seg == "." || seg == ".." {
			return Invalid(c.cfg.API, "path segment %q is not allowed", seg)
		}
		if !found {
			break
		}
		rest = more
	}
	if c.base.RawPath == "" && plainPath(p) {
		// The common case, a path of unreserved characters below a base
		// without escapes: join the strings, no parse.
		*u = *c.base
		u.Path = c.base.Path + p
		if len(q) > 0 {
			u.RawQuery = q.Encode()
		}
		return nil
	}
	ref, err := url.Parse(p)
	if err != nil || ref.Scheme != "" || ref.Host != "" {
		return Invalid(c.cfg.API, "invalid path %q", p)
	}
	*u = *c.base.ResolveReference(ref)
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return nil
}

// plainPath reports whether p holds only unreserved characters and "/",
// with no "." or ".." segment (resolve refused those already): then it is
// its own escaped form and joins the base path as it is.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '/':
		default:
			return false
		}
	}
	return true
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (c *Client) encode(r *Request) ([]byte, string, error) {
	switch {
	case r.Form != nil:
		return []byte(r.Form.Encode()), "application/x-www-form-urlencoded", nil
	case r.Body == nil:
		return nil, "", nil
	case c.cfg.Format == XML:
		b, err := xml.Marshal(r.Body)
		if err != nil {
			return nil, "", Invalid(c.cfg.API, "encode request: %v", err)
		}
		return append([]byte(xml.Header), b...), contentType(XML), nil
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.Body); err != nil {
			return nil, "", Invalid(c.cfg.API, "encode request: %v", err)
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), contentType(JSON), nil
	}
}

// Do sends r, retrying as the method allows, and decodes a 2xx answer into
// out (JSON or XML by the client's format; out may be nil). Every failure
// after sending is an *Error; a context that ends before any byte is sent
// is an *Error that matches the context's error and nothing else.
func (c *Client) Do(ctx context.Context, r *Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, Invalid(c.cfg.API, "nil context")
	}
	res, err := c.do(ctx, r, out)
	if dst, _ := r.Call.Response.(*orderkit.Response); dst != nil {
		var e *Error
		switch {
		case err != nil && errors.As(err, &e) && e.Response != nil:
			// The error's copy, scrubbed of echoed secrets.
			*dst = *e.Response
		case res != nil:
			*dst = *res
		default:
			*dst = Response{}
		}
	}
	return res, err
}

func (c *Client) do(ctx context.Context, r *Request, out any) (*Response, error) {
	if r.Call.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Call.Timeout)
		defer cancel()
	}
	// The call's state holds its URL and its request: one allocation for
	// the three.
	st := &callState{
		cfg:          &c.cfg,
		ctx:          ctx,
		safe:         isSafe(r.Method) || r.Idempotent,
		method:       r.Method,
		maxRetries:   c.cfg.MaxRetries,
		retryWaitMin: c.cfg.RetryWaitMin,
		retryWaitMax: c.cfg.RetryWaitMax,
	}
	u := &st.url
	if err := c.resolveInto(u, r.Path, r.Query); err != nil {
		return nil, err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		// Nothing was sent: a plain context error, never an unknown
		// outcome.
		return nil, &Error{API: c.cfg.API, Method: r.Method, URL: redactURL(u), Err: ctxErr}
	}
	body, bodyType, err := c.encode(r)
	if err != nil {
		return nil, err
	}
	auth := r.Auth
	if auth == nil {
		auth = c.cfg.Auth
	}
	if rs := r.Call.Retry; rs != nil {
		st.maxRetries, st.retryWaitMin, st.retryWaitMax = rs.MaxRetries, rs.WaitMin, rs.WaitMax
	}
	var reqCtx context.Context = (*stateCtx)(st)
	if !st.safe {
		// A write is told apart as "surely not sent" when the standard
		// transport never got to write its headers.
		reqCtx = httptrace.WithClientTrace(reqCtx, st.trace())
	}
	st.callCtx = reqCtx
	attemptCtx := reqCtx
	if c.cfg.Limiter == nil && quickAuth(auth) {
		// The first attempt's timeout is set here, not in the transport:
		// the request is built with it, so the transport needs no copy of
		// the request and no wrapper on its body, which the response
		// handler reads before this function returns. Only a retry (see
		// backoff) builds its own, from the call's context. With a rate
		// limit or an Auth that may wait (a token refresh), the transport
		// keeps starting the attempt's clock after the wait, as before.
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > c.cfg.Timeout {
			var cancel context.CancelFunc
			attemptCtx, cancel = context.WithTimeout(reqCtx, c.cfg.Timeout)
			st.endFirst = cancel
			defer cancel()
		}
	}
	// The request is built here with the URL as built: NewRequest would
	// parse a URL string again and allocate what is thrown away.
	hreq := (&http.Request{}).WithContext(attemptCtx)
	hreq.Method = r.Method
	hreq.URL, hreq.Host = u, u.Host
	hreq.Proto, hreq.ProtoMajor, hreq.ProtoMinor = "HTTP/1.1", 1, 1
	hreq.Header = make(http.Header, len(c.headers)+len(r.Header)+len(r.Call.Header)+2)
	req := &st.rreq
	req.Request = hreq
	var rb any
	if body != nil {
		rb = body
	}
	// SetBody sets GetBody and ContentLength, and the rewind
	// go-retryablehttp does before each attempt.
	if err := req.SetBody(rb); err != nil {
		return nil, Invalid(c.cfg.API, "build request: %v", redactErr(err))
	}
	for k, v := range c.headers {
		req.Header[k] = v
	}
	if bodyType != "" {
		req.Header.Set("Content-Type", bodyType)
	}
	for _, h := range []http.Header{r.Header, r.Call.Header} {
		for k, v := range h {
			if len(v) == 0 {
				req.Header.Del(k)
				continue
			}
			req.Header[http.CanonicalHeaderKey(k)] = v
		}
	}
	if auth != nil {
		if err := auth.Apply(ctx, req.Request); err != nil {
			return nil, c.wrapErr(r.Method, u, auth, 0, err)
		}
	}
	// The retry client lives in the call's state too (one allocation
	// less); its fields are set one by one, as it holds a sync.Once.
	rc := &st.rc
	rc.HTTPClient = c.http
	rc.RetryMax, rc.RetryWaitMin, rc.RetryWaitMax = st.maxRetries, st.retryWaitMin, st.retryWaitMax
	rc.CheckRetry, rc.Backoff, rc.ErrorHandler = checkRetry, st.backoff, st.errorHandler
	// Logger stays nil: retryablehttp would otherwise write to stderr with
	// the full URL. The transport logs through slog instead.
	// The body is read inside the retry loop, so that an answer cut off
	// mid-body is retried like a reset connection where that is safe.
	req.SetResponseHandler(st.responseHandler)
	defer st.release()
	resp, err := rc.Do(req)
	if err != nil {
		return nil, c.transportError(r.Method, u, auth, st, err)
	}
	defer resp.Body.Close()
	return c.finish(r.Method, u, auth, st, resp, out)
}

func (c *Client) finish(method string, u *url.URL, auth Auth, st *callState, resp *http.Response, out any) (*Response, error) {
	res := NewResponse(resp.StatusCode, resp.Header, st.attempts, time.Now())
	if res.RequestID != "" {
		// A server or proxy that echoes a credential into its request-id
		// header must not plant it in errors and the caller's logs.
		res.RequestID = c.scrubber(auth)(res.RequestID)
	}
	var data []byte
	if st.buf != nil {
		data = st.buf.Bytes()
	}
	readErr, tooLarge, limit := st.readErr, st.tooLarge, st.limit
	if resp.StatusCode >= 300 {
		scrub := c.scrubber(auth)
		e := c.newError(method, u, auth, st, res)
		addKind(e, statusKinds(resp.StatusCode)...)
		if st.outcomeUnknown {
			addKind(e, ErrOutcomeUnknown)
		}
		e.RetryAfter, _ = retryAfter(resp.Header, time.Now())
		// The vendor's decoder sees the body with every secret already
		// replaced: a server or proxy that echoes a credential back must not
		// plant it in a typed error's fields.
		clean := []byte(scrub(string(data)))
		e.Body = excerpt(clean, scrub)
		msg, code, detail := c.safeDecode(resp.StatusCode, resp.Header, clean)
		if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && errors.Is(detail, ErrValidation) {
			// Bad credentials are never bad input, whatever the body says:
			// a switch that tests ErrValidation first must not see them.
			detail = nil
		}
		e.Message, e.Code, e.Err = scrub(msg), scrub(code), scrubErr(detail, scrub)
		return res, e
	}
	if readErr != nil || tooLarge {
		e := c.newError(method, u, auth, st, res)
		addKind(e, ErrInvalidResponse)
		if tooLarge {
			addKind(e, ErrResponseTooLarge)
			e.Err = fmt.Errorf("answer is larger than %d bytes", limit)
		} else {
			e.Err = fmt.Errorf("reading the answer: %w", redactErr(readErr))
			// What arrived of a cut-off answer may name what the
			// server did (an order id): keep its start.
			e.Body = excerpt(data, c.scrubber(auth))
		}
		if !st.safe {
			// The server acted (it answered 2xx) but we cannot read what
			// it did: the caller must look it up.
			addKind(e, ErrOutcomeUnknown)
		}
		return res, e
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return res, nil
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = append((*raw)[:0], data...)
		return res, nil
	}
	if err := c.unmarshal(data, out); err != nil {
		e := c.newError(method, u, auth, st, res)
		addKind(e, ErrInvalidResponse)
		e.Body = excerpt(data, c.scrubber(auth))
		e.Err = err
		if !st.safe {
			addKind(e, ErrOutcomeUnknown)
		}
		return res, e
	}
	return res, nil
}

func (c *Client) unmarshal(data []byte, out any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty answer")
	}
	var err error
	if c.cfg.Format == XML {
		dec := xml.NewDecoder(bytes.NewReader(data))
		dec.CharsetReader = charsetReader
		err = dec.Decode(out)
	} else {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		return fmt.Errorf("decoding the answer: %w", err)
	}
	return nil
}

// safeDecode runs the API's error decoder and turns a panic in it into a
// plain message: a hostile body must not crash the caller.
func (c *Client) safeDecode(status int, h http.Header, body []byte) (msg, code string, detail error) {
	defer func() {
		if recover() != nil {
			msg, code, detail = "", "", nil
		}
	}()
	return c.decode(status, h, body)
}

// genericError reads the common shapes: {"error": "..."}, {"message": ...},
// {"detail": ...}, {"error": {"description": ...}}.
func genericError(_ int, _ http.Header, body []byte) (string, string, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", "", nil
	}
	for _, k := range []string{"error", "message", "detail", "description"} {
		var s string
		if json.Unmarshal(m[k], &s) == nil && s != "" {
			var code string
			_ = json.Unmarshal(m["code"], &code)
			return s, code, nil
		}
	}
	return "", "", nil
}

func (c *Client) newError(method string, u *url.URL, auth Auth, st *callState, res *Response) *Error {
	e := &Error{API: c.cfg.API, Method: method, URL: redactURL(u), Attempts: st.attempts}
	if res != nil {
		e.StatusCode, e.RequestID, e.Response = res.StatusCode, res.RequestID, scrubHeaders(res, c.scrubber(auth))
	}
	return e
}

// scrubHeaders returns res, or a copy of it whose header values have every
// secret replaced when one of them holds a secret: an error must not carry
// a credential that a server echoed into a header.
func scrubHeaders(res *Response, scrub func(string) string) *Response {
	dirty := false
	for _, vs := range res.Header {
		for _, v := range vs {
			if scrub(v) != v {
				dirty = true
			}
		}
	}
	if !dirty {
		return res
	}
	clean := *res
	clean.Header = make(http.Header, len(res.Header))
	for k, vs := range res.Header {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = scrub(v)
		}
		clean.Header[k] = out
	}
	return &clean
}

func (c *Client) wrapErr(method string, u *url.URL, auth Auth, attempts int, err error) error {
	return &Error{API: c.cfg.API, Method: method, URL: redactURL(u), Attempts: attempts, Err: scrubErr(redactErr(err), c.scrubber(auth))}
}

func (c *Client) transportError(method string, u *url.URL, auth Auth, st *callState, err error) error {
	e := c.newError(method, u, auth, st, nil)
	if e.Attempts == 0 {
		e.Attempts = 1
	}
	cause := redactErr(err)
	if errors.Is(cause, ErrRedirectRefused) {
		addKind(e, ErrRedirectRefused)
	}
	if ctxErr := st.ctx.Err(); ctxErr != nil && !errors.Is(cause, ctxErr) {
		cause = fmt.Errorf("%w (%v)", ctxErr, cause)
	}
	if !st.safe && st.mayHaveActed {
		addKind(e, ErrOutcomeUnknown)
	}
	if !st.mayHaveActed && st.ctx.Err() == nil && !errors.Is(cause, ErrRedirectRefused) &&
		!errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		// Every attempt failed before a byte of it reached the server.
		addKind(e, ErrUnreachable)
	}
	e.Err = scrubErr(cause, c.scrubber(auth))
	return e
}

// scrubber returns a function that replaces every secret of auth (and of
// the client's own auth) in a text.
func (c *Client) scrubber(auth Auth) func(string) string {
	var secrets []string
	for _, a := range []Auth{auth, c.cfg.Auth} {
		if a != nil {
			secrets = append(secrets, a.Secrets()...)
		}
	}
	return func(s string) string {
		for _, sec := range secrets {
			if len(sec) >= 4 && strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, "[REDACTED]")
			}
		}
		return s
	}
}

// scrubErr keeps err for errors.Is/As unless its text holds a secret, in
// which case the text is replaced (the chain is kept).
func scrubErr(err error, scrub func(string) string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := scrub(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// redactErr drops *url.Error's URL (it carries the query string) and keeps
// the cause.
func redactErr(err error) error {
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}

// redactURL gives scheme, host and path: no user info, no query.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

func redactRaw(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return redactURL(u)
}

// IsLoopback reports whether host (a name or an IP, without port) is a
// loopback address: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool { return isLoopback(host) }

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// quickAuth reports whether auth is one of the pipeline's own, which set a
// header and never wait.
func quickAuth(auth Auth) bool {
	switch auth.(type) {
	case nil, *bearer, *basic, *apiKey:
		return true
	}
	return false
}

// transport waits on the rate limit before every attempt and logs it.
type transport struct {
	base http.RoundTripper
	cfg  *Config
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, notSentError{err}
	}
	if l := t.cfg.Limiter; l != nil {
		if err := l.Wait(req.Context()); err != nil {
			if ctxErr := req.Context().Err(); ctxErr != nil {
				return nil, notSentError{ctxErr}
			}
			if _, ok := l.(*rate.Limiter); ok {
				// rate.Limiter refuses a wait that would pass the deadline.
				return nil, notSentError{fmt.Errorf("%w: waiting for the rate limit would pass the deadline", context.DeadlineExceeded)}
			}
			// Another Limiter (one shared by a fleet) says why itself: a
			// store that does not answer is not a timeout.
			return nil, notSentError{fmt.Errorf("waiting for the rate limit: %w", err)}
		}
	}
	start := time.Now()
	var resp *http.Response
	var err error
	if dl, ok := req.Context().Deadline(); ok && dl.Sub(start) <= t.cfg.Timeout {
		// The caller's deadline comes first and bounds the attempt anyway.
		resp, err = t.base.RoundTrip(req)
	} else {
		// Timeout bounds the attempt whole, headers and body: the
		// attempt's context ends when the body is closed or the time is up.
		ctx, cancel := context.WithTimeout(req.Context(), t.cfg.Timeout)
		resp, err = t.base.RoundTrip(req.WithContext(ctx))
		if err != nil || resp == nil {
			cancel()
		} else {
			resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
		}
	}
	if lg := t.cfg.Logger; lg != nil && lg.Enabled(req.Context(), slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("api", t.cfg.API),
			slog.String("method", req.Method),
			slog.String("host", req.URL.Host),
			slog.String("path", req.URL.Path),
			slog.Duration("duration", time.Since(start)),
		}
		if st, ok := req.Context().Value(stateKey{}).(*callState); ok {
			attrs = append(attrs, slog.Int("attempt", st.attempts+1))
		}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", errorClass(err)))
		}
		lg.LogAttrs(req.Context(), slog.LevelDebug, "orderkit request", attrs...)
	}
	return resp, err
}

// errorClass names a transport error without its text, which may hold an
// address or a URL.
func errorClass(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	default:
		return fmt.Sprintf("%T", err)
	}
}

// cancelBody ends an attempt's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// notSentError marks a failure before any byte reached the server.
type notSentError struct{ err error }

func (e notSentError) Error() string { return e.err.Error() }
func (e notSentError) Unwrap() error { return e.err }
