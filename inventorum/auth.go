package inventorum

import (
	"context"
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
	// Token is the last stored token. RefreshToken is required;
	// AccessToken may be empty (the first call refreshes), and a zero
	// Expiry means "valid until the API answers 401".
	Token Token
	// OnRefresh receives every new token, before any call uses it. Store
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
}

func newOAuthAuth(cfg OAuth2Config) (*oauthAuth, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, pipeline.Invalid(apiName, "OAuth2 client id and secret are required")
	}
	if cfg.Token.RefreshToken == "" {
		return nil, pipeline.Invalid(apiName, "OAuth2 refresh token is required")
	}
	if cfg.RefreshBefore <= 0 {
		cfg.RefreshBefore = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &oauthAuth{cfg: cfg, tok: cfg.Token, margin: cfg.RefreshBefore}, nil
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
	t, margin, gen, pending := a.tok, a.margin, a.gen, a.pending
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
	return []string{a.tok.AccessToken, a.tok.RefreshToken, a.cfg.ClientSecret}
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
	// POST auth/token/ is not idempotent: it rotates the refresh token, so
	// it is never repeated blindly; a lost answer is ErrOutcomeUnknown.
	var ans tokenAnswer
	_, err := a.pc.Do(ctx, &pipeline.Request{
		Method: http.MethodPost,
		Path:   "auth/token/",
		Form:   url.Values{"grant_type": {"refresh_token"}, "refresh_token": {cur.RefreshToken}},
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
		nt.RefreshToken = cur.RefreshToken
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
	a.mu.Lock()
	a.tok, a.margin, a.gen, a.pending = nt, margin, a.gen+1, a.cfg.OnRefresh != nil
	a.mu.Unlock()
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
