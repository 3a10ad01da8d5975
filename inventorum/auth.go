package inventorum

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
)

// Token is an OAuth2 token pair. Inventorum access tokens live 24 hours and
// every refresh rotates the refresh token: the old one stops working, so
// the new one must be stored before anything else.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	TokenType    string    `json:"token_type,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	Expiry       time.Time `json:"expiry"`
}

// OAuth2Config is what NewOAuth2Client needs to keep a token fresh.
type OAuth2Config struct {
	// ClientID and ClientSecret authenticate the refresh (HTTP basic).
	ClientID     string
	ClientSecret string
	// Token is the last stored token. RefreshToken is required without
	// a Store; AccessToken may be empty (the first call refreshes), and a
	// zero Expiry means "valid until the API answers 401". With a Store,
	// Token seeds the store when it is empty and is otherwise ignored.
	Token Token
	// Store keeps the token for every client of the account: the clients
	// of several processes share one account's refresh token through it
	// (see TokenStore). A refresh takes the store's lock, reads the stored
	// token, uses it if another client has refreshed it meanwhile, and
	// otherwise refreshes and stores the rotated token by compare-and-swap
	// before any call uses it. If the store cannot take the rotated token,
	// the client retries for up to a minute, then keeps it in memory, still
	// holding the store's lock, fails the call, and tries again on the next
	// call. nil is NewMemoryTokenStore(Token): this client alone, as with
	// OnRefresh only.
	Store TokenStore
	// OnRefresh receives every token this client refreshes, once it is in
	// the Store and before any call uses it (tokens another client
	// refreshed and this one reads from the Store are not offered). Store
	// Token.RefreshToken durably: a lost refresh token locks the
	// integration out. (The refresh POST is never repeated blindly: if its
	// answer is lost the error matches orderkit.ErrOutcomeUnknown, and the
	// server may already have rotated the refresh token.) If it returns an
	// error, the call that caused the refresh fails with it, and the next
	// call offers the token again.
	OnRefresh func(ctx context.Context, t Token) error
	// RefreshBefore is how long before expiry a token is refreshed
	// (default 5 minutes). For a token that lives less than four times
	// as long (the refresh answered a short expires_in), a quarter of its
	// lifetime is used instead, so that a token is refreshed about once per
	// lifetime rather than on every call.
	RefreshBefore time.Duration
	// Now replaces the clock (tests).
	Now func() time.Time
}

// oauthAuth is a pipeline.Auth that refreshes through the pipeline itself.
type oauthAuth struct {
	cfg OAuth2Config
	pc  *pipeline.Client

	// refreshMu serialises refreshes: a second refresh in parallel would
	// send a refresh token the first one has just rotated out.
	refreshMu sync.Mutex

	mu      sync.RWMutex
	tok     Token
	margin  time.Duration // how long before tok.Expiry it is refreshed
	gen     uint64
	pending bool // OnRefresh failed for tok; offer it again

	store TokenStore
	// unstored is a rotated token the store has not taken yet (it failed),
	// to be swapped in over base; held is the store's lock, kept until
	// then so that no other client sends base's spent refresh token.
	// Guarded by refreshMu (Secrets reads unstored under mu too).
	unstored, base *Token
	held           func()
}

// storeRetryFor is how long a rotated token's compare-and-swap is retried
// when the store fails, whatever the calling context says.
var storeRetryFor = time.Minute

func newOAuthAuth(cfg OAuth2Config) (*oauthAuth, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, pipeline.Invalid(apiName, "OAuth2 client id and secret are required")
	}
	if cfg.Token.RefreshToken == "" && cfg.Store == nil {
		return nil, pipeline.Invalid(apiName, "OAuth2 refresh token is required")
	}
	if cfg.RefreshBefore <= 0 {
		cfg.RefreshBefore = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &oauthAuth{cfg: cfg, margin: cfg.RefreshBefore, store: cfg.Store}
	if a.store == nil {
		a.tok = cfg.Token
		a.store = NewMemoryTokenStore(cfg.Token)
	}
	return a, nil
}

// marginFor is how long before expiry a token living lifetime is
// refreshed: RefreshBefore, but at most a quarter of the lifetime.
func (a *oauthAuth) marginFor(lifetime time.Duration) time.Duration {
	if q := lifetime / 4; lifetime > 0 && q < a.cfg.RefreshBefore {
		return q
	}
	return a.cfg.RefreshBefore
}

func (a *oauthAuth) current() Token {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.tok
}

func (a *oauthAuth) generation() uint64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.gen
}

func (a *oauthAuth) stale(t Token, margin time.Duration) bool {
	return t.AccessToken == "" || (!t.Expiry.IsZero() && a.cfg.Now().Add(margin).After(t.Expiry))
}

// Apply sets the bearer token, refreshing it first when it is missing or
// about to expire.
func (a *oauthAuth) Apply(ctx context.Context, r *http.Request) error {
	a.mu.RLock()
	t, margin, gen, pending := a.tok, a.margin, a.gen, a.pending || a.unstored != nil
	a.mu.RUnlock()
	if a.stale(t, margin) || pending {
		if err := a.refreshAfter(ctx, gen, false); err != nil {
			return err
		}
		t = a.current()
	}
	r.Header.Set("Authorization", "Bearer "+t.AccessToken)
	return nil
}

// Secrets lists the current tokens and the client secret for scrubbing.
func (a *oauthAuth) Secrets() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := []string{a.tok.AccessToken, a.tok.RefreshToken, a.cfg.ClientSecret, a.cfg.Token.AccessToken, a.cfg.Token.RefreshToken}
	if u := a.unstored; u != nil {
		out = append(out, u.AccessToken, u.RefreshToken)
	}
	return out
}

// maxTokenLifetime bounds the lifetime an expires_in gives a token.
const maxTokenLifetime = 10 * 365 * 24 * time.Hour

type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// refreshAfter refreshes the token unless another call already did since
// generation gen, in which case that token is used. unauthorized says the
// API refused the token of generation gen (a 401); otherwise only a stale
// token is refreshed, so that a call that waited for another call's
// OnRefresh uses the token just stored instead of rotating it again.
func (a *oauthAuth) refreshAfter(ctx context.Context, gen uint64, unauthorized bool) error {
	a.refreshMu.Lock()
	defer a.refreshMu.Unlock()
	if a.unstored != nil {
		return a.storeAgain(ctx)
	}
	a.mu.RLock()
	cur, margin, curGen, pending := a.tok, a.margin, a.gen, a.pending
	a.mu.RUnlock()
	if pending {
		return a.offer(ctx, cur)
	}
	if curGen != gen && !a.stale(cur, margin) {
		return nil
	}
	if !unauthorized && !a.stale(cur, margin) {
		return nil
	}
	// One refresher at a time for the account, across the processes that
	// share the store: hold its lock from reading the token to storing the
	// rotated one.
	unlock, err := a.store.Lock(ctx)
	if err != nil {
		return fmt.Errorf("inventorum: locking the token store: %w", err)
	}
	held := true
	defer func() {
		if held {
			unlock()
		}
	}()
	stored, err := a.load(ctx)
	if err != nil {
		return err
	}
	if (stored.AccessToken != cur.AccessToken || stored.RefreshToken != cur.RefreshToken) && stored.AccessToken != "" && !(unauthorized && stored.AccessToken == cur.AccessToken) {
		// Another client refreshed (or this one's token is older than the
		// store's): use the stored token if it is still fresh.
		m := a.cfg.RefreshBefore
		if !stored.Expiry.IsZero() {
			m = a.marginFor(stored.Expiry.Sub(a.cfg.Now()))
		}
		if !a.stale(stored, m) {
			a.mu.Lock()
			a.tok, a.margin, a.gen = stored, m, a.gen+1
			a.mu.Unlock()
			return nil
		}
	}
	// POST auth/token/ is not idempotent: it rotates the refresh token, so
	// it is never repeated blindly; a lost answer is ErrOutcomeUnknown.
	var ans tokenAnswer
	_, err = a.pc.Do(ctx, &pipeline.Request{
		Method: http.MethodPost,
		Path:   "auth/token/",
		Form:   url.Values{"grant_type": {"refresh_token"}, "refresh_token": {stored.RefreshToken}},
		Auth:   pipeline.Basic(a.cfg.ClientID, a.cfg.ClientSecret),
	}, &ans)
	if err != nil {
		return err
	}
	if ans.AccessToken == "" {
		return pipeline.Invalid(apiName, "token refresh answered no access_token")
	}
	nt := Token{
		AccessToken:  ans.AccessToken,
		RefreshToken: ans.RefreshToken,
		TokenType:    ans.TokenType,
		Scope:        ans.Scope,
	}
	if nt.RefreshToken == "" {
		// Not rotated: the old one stays valid.
		nt.RefreshToken = stored.RefreshToken
	}
	margin = a.cfg.RefreshBefore
	if ans.ExpiresIn > 0 {
		// An expires_in too large for a time.Duration would wrap to a
		// token expired long ago, refreshed on every call.
		lifetime := maxTokenLifetime
		if ans.ExpiresIn < int64(maxTokenLifetime/time.Second) {
			lifetime = time.Duration(ans.ExpiresIn) * time.Second
		}
		nt.Expiry = a.cfg.Now().Add(lifetime)
		margin = a.marginFor(lifetime)
	}
	swapped, err := a.swap(ctx, stored, nt)
	if err != nil {
		// The rotated token is the only valid one and the store has not
		// taken it: keep it, and the lock, and try again on the next call.
		a.mu.Lock()
		a.unstored, a.base, a.held = &nt, &stored, unlock
		a.mu.Unlock()
		held = false
		return fmt.Errorf("inventorum: storing the refreshed token (kept in memory, stored on the next call): %w", err)
	}
	a.use(nt, margin)
	if !swapped {
		return errors.Join(ErrTokenConflict, a.offer(ctx, nt))
	}
	return a.offer(ctx, nt)
}

// load reads the stored token, seeding an empty store with
// OAuth2Config.Token.
func (a *oauthAuth) load(ctx context.Context) (Token, error) {
	stored, err := a.store.Load(ctx)
	if err != nil {
		return Token{}, fmt.Errorf("inventorum: loading the token: %w", err)
	}
	if stored.RefreshToken != "" {
		return stored, nil
	}
	if a.cfg.Token.RefreshToken == "" {
		return Token{}, pipeline.Invalid(apiName, "the token store holds no token and OAuth2Config.Token has no refresh token")
	}
	ok, err := a.store.CompareAndSwap(ctx, Token{}, a.cfg.Token)
	if err != nil {
		return Token{}, fmt.Errorf("inventorum: seeding the token store: %w", err)
	}
	if ok {
		return a.cfg.Token, nil
	}
	return a.store.Load(ctx)
}

// use makes t the client's token (for OnRefresh first, if set).
func (a *oauthAuth) use(t Token, margin time.Duration) {
	a.mu.Lock()
	a.tok, a.margin, a.gen, a.pending = t, margin, a.gen+1, a.cfg.OnRefresh != nil
	a.mu.Unlock()
}

// swap stores next over old, retrying a failing store for up to
// storeRetryFor even when ctx ends: the rotated token exists nowhere else.
func (a *oauthAuth) swap(ctx context.Context, old, next Token) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeRetryFor)
	defer cancel()
	wait := 20 * time.Millisecond
	for {
		ok, err := a.store.CompareAndSwap(ctx, old, next)
		if err == nil {
			return ok, nil
		}
		select {
		case <-ctx.Done():
			return false, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// storeAgain retries storing a rotated token the store failed to take;
// called with refreshMu held.
func (a *oauthAuth) storeAgain(ctx context.Context) error {
	nt, base := *a.unstored, *a.base
	swapped, err := a.swap(ctx, base, nt)
	if err != nil {
		return fmt.Errorf("inventorum: storing the refreshed token (kept in memory, stored on the next call): %w", err)
	}
	a.held()
	a.mu.Lock()
	a.unstored, a.base, a.held = nil, nil, nil
	a.mu.Unlock()
	margin := a.cfg.RefreshBefore
	if !nt.Expiry.IsZero() {
		margin = a.marginFor(nt.Expiry.Sub(a.cfg.Now()))
	}
	a.use(nt, margin)
	if !swapped {
		return errors.Join(ErrTokenConflict, a.offer(ctx, nt))
	}
	return a.offer(ctx, nt)
}

// offer hands t to OnRefresh; called with refreshMu held.
func (a *oauthAuth) offer(ctx context.Context, t Token) error {
	if a.cfg.OnRefresh == nil {
		return nil
	}
	if err := a.cfg.OnRefresh(ctx, t); err != nil {
		return fmt.Errorf("inventorum: storing the refreshed token: %w", err)
	}
	a.mu.Lock()
	if a.tok.RefreshToken == t.RefreshToken {
		a.pending = false
	}
	a.mu.Unlock()
	return nil
}

const redacted = "[REDACTED]"

func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Format prints the token with its access and refresh tokens replaced by
// "[REDACTED]", whatever the verb, so that a token in a log line or an
// error message does not leak. Store a token with encoding/json, which
// keeps it whole.
func (t Token) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "{AccessToken:%s RefreshToken:%s TokenType:%s Scope:%s Expiry:%s}",
		mask(t.AccessToken), mask(t.RefreshToken), t.TokenType, t.Scope, t.Expiry.Format(time.RFC3339))
}

// LogValue shows the token to log/slog without its secrets.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", mask(t.AccessToken)),
		slog.String("refresh_token", mask(t.RefreshToken)),
		slog.String("token_type", t.TokenType),
		slog.String("scope", t.Scope),
		slog.Time("expiry", t.Expiry),
	)
}

// Format prints the configuration with the client secret and the tokens
// replaced by "[REDACTED]", whatever the verb.
func (c OAuth2Config) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "{ClientID:%s ClientSecret:%s Token:%v RefreshBefore:%s}",
		c.ClientID, mask(c.ClientSecret), c.Token, c.RefreshBefore)
}

// LogValue shows the configuration to log/slog without its secrets.
func (c OAuth2Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", mask(c.ClientSecret)),
		slog.Any("token", c.Token),
		slog.Duration("refresh_before", c.RefreshBefore),
	)
}
