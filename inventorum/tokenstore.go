package inventorum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// ErrTokenConflict is matched (errors.Is) by the error of a call whose
// token refresh succeeded but found the store holding another token than
// the one it refreshed: something wrote the store without taking its lock
// (a token seeded by hand, say). The client keeps and uses the token it
// was answered (it is the valid one) and hands it to OnRefresh; the store
// keeps what was written into it.
var ErrTokenConflict = errors.New("inventorum: the token store changed during a refresh")

// TokenStore keeps one account's OAuth2 token where every client of the
// account reads it: clients in one process, or worker processes on many
// machines. With a shared store the account's refresh token is rotated
// once per token lifetime, by one client, and the others use the result.
// NewOAuth2Client takes one in OAuth2Config.Store.
//
// The contract, which a store must keep across every process that shares
// it (package storetest checks it):
//
//   - Load returns the stored token, or the zero Token when none is stored.
//   - CompareAndSwap stores next only if the stored token's RefreshToken is
//     old.RefreshToken (the zero Token's "" for an empty store), reports
//     whether it did, and is atomic with respect to every other
//     CompareAndSwap on the store. It fails with an error only when it
//     could not tell; it then either stored next or left the store as it
//     was, and a later CompareAndSwap with the same arguments settles it.
//   - Lock waits until the caller is the store's only lock holder, or ctx
//     ends, and returns the function that releases the lock. The client
//     holds it from reading the token to storing the rotated one, so that
//     no two clients send the same refresh token. A holder that dies
//     without releasing it must not keep it forever (a lease, or a lock
//     the operating system drops with the process); a lock that lapses
//     while its holder still works is safe, because the compare-and-swap
//     refuses a second rotation of the same token, and only costs the
//     refresh that the server then refuses.
//
// A store holds a refresh token, a secret that unlocks the account: keep
// it where only the integration can read it, and durably (a refresh token
// that is lost locks the integration out until it is authorised again).
type TokenStore interface {
	Load(ctx context.Context) (Token, error)
	CompareAndSwap(ctx context.Context, old, next Token) (swapped bool, err error)
	Lock(ctx context.Context) (unlock func(), err error)
}

// NewMemoryTokenStore returns a TokenStore in memory holding t, for the
// clients of one process; OAuth2Config.Store defaults to one holding
// OAuth2Config.Token. It is lost with the process: pair it with OnRefresh.
func NewMemoryTokenStore(t Token) TokenStore {
	return &memoryTokenStore{tok: t, sem: make(chan struct{}, 1)}
}

type memoryTokenStore struct {
	mu  sync.Mutex
	tok Token
	sem chan struct{}
}

func (s *memoryTokenStore) Load(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, nil
}

func (s *memoryTokenStore) CompareAndSwap(ctx context.Context, old, next Token) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.RefreshToken != old.RefreshToken {
		return false, nil
	}
	s.tok = next
	return true, nil
}

func (s *memoryTokenStore) Lock(ctx context.Context) (func(), error) {
	select {
	case s.sem <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-s.sem }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// NewFileTokenStore returns a TokenStore in the JSON file at path (mode
// 0600), shared by the processes of one machine: a write replaces the
// file atomically (a crash leaves the old token or the new one, whole,
// synced to disk), and the lock and each compare-and-swap are advisory
// file locks (flock) on path+".refresh.lock" and path+".lock", which the
// kernel releases when a process dies. Outside unix the locks hold within
// one process only. A missing file is an empty store.
func NewFileTokenStore(path string) TokenStore {
	return &fileTokenStore{path: path}
}

type fileTokenStore struct{ path string }

func (s *fileTokenStore) Load(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	return s.read()
}

func (s *fileTokenStore) read() (Token, error) {
	var t Token
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("inventorum: token store: %w", err)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return Token{}, fmt.Errorf("inventorum: token store %s: %w", s.path, err)
	}
	return t, nil
}

func (s *fileTokenStore) CompareAndSwap(ctx context.Context, old, next Token) (bool, error) {
	unlock, err := lockFile(ctx, s.path+".lock")
	if err != nil {
		return false, fmt.Errorf("inventorum: token store: %w", err)
	}
	defer unlock()
	cur, err := s.read()
	if err != nil {
		return false, err
	}
	if cur.RefreshToken != old.RefreshToken {
		return false, nil
	}
	b, err := json.Marshal(next)
	if err != nil {
		return false, err
	}
	if err := writeFileAtomic(s.path, append(b, '\n'), 0o600); err != nil {
		return false, fmt.Errorf("inventorum: token store: %w", err)
	}
	return true, nil
}

func (s *fileTokenStore) Lock(ctx context.Context) (func(), error) {
	unlock, err := lockFile(ctx, s.path+".refresh.lock")
	if err != nil {
		return nil, fmt.Errorf("inventorum: token store: %w", err)
	}
	var once sync.Once
	return func() { once.Do(unlock) }, nil
}
