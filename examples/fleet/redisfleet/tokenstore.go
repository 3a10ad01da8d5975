package redisfleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/redis/go-redis/v9"
)

// TokenStore is an inventorum.TokenStore on Redis: the token in the hash
// prefix+":token" (its refresh token in field "rt", the token as JSON in
// "json"), the refresh lock in prefix+":token:lock".
type TokenStore struct {
	rdb     *redis.Client
	key     string
	lockKey string
	// LockTTL bounds how long a holder that died keeps the refresh lock
	// (default 30 s). It must outlast a refresh: the client's timeout and
	// retries of the token POST, and a store that fails meanwhile.
	LockTTL time.Duration
}

// NewTokenStore returns the token store of one account under prefix, such
// as "orderkit:inventorum:{acct-1}" (the braces keep the account's keys
// in one cluster slot).
func NewTokenStore(rdb *redis.Client, prefix string) *TokenStore {
	return &TokenStore{rdb: rdb, key: prefix + ":token", lockKey: prefix + ":token:lock", LockTTL: 30 * time.Second}
}

// Load returns the stored token, the zero Token when none is stored.
func (s *TokenStore) Load(ctx context.Context) (inventorum.Token, error) {
	var t inventorum.Token
	b, err := s.rdb.HGet(ctx, s.key, "json").Bytes()
	if errors.Is(err, redis.Nil) {
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("redisfleet: token store: %w", err)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return inventorum.Token{}, fmt.Errorf("redisfleet: token store: %w", err)
	}
	return t, nil
}

var tokenCAS = redis.NewScript(`
if (redis.call('HGET', KEYS[1], 'rt') or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rt', ARGV[2], 'json', ARGV[3])
return 1`)

// CompareAndSwap stores next if the stored refresh token is
// old.RefreshToken, in one Lua script.
func (s *TokenStore) CompareAndSwap(ctx context.Context, old, next inventorum.Token) (bool, error) {
	b, err := json.Marshal(next)
	if err != nil {
		return false, err
	}
	n, err := tokenCAS.Run(ctx, s.rdb, []string{s.key}, old.RefreshToken, next.RefreshToken, b).Int()
	if err != nil {
		return false, fmt.Errorf("redisfleet: token store: %w", err)
	}
	return n == 1, nil
}

var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Lock takes the refresh lock (SET NX PX LockTTL with a random owner),
// polling while another process holds it.
func (s *TokenStore) Lock(ctx context.Context) (func(), error) {
	owner := randomID()
	for wait := 5 * time.Millisecond; ; {
		ok, err := s.rdb.SetNX(ctx, s.lockKey, owner, s.LockTTL).Result()
		if err != nil {
			return nil, fmt.Errorf("redisfleet: token lock: %w", err)
		}
		if ok {
			var once sync.Once
			return func() {
				once.Do(func() {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					_ = unlockScript.Run(ctx, s.rdb, []string{s.lockKey}, owner).Err()
				})
			}, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

func randomID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
