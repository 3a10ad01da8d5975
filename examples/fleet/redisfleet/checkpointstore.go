package redisfleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/redis/go-redis/v9"
)

// CheckpointStore is an inventorum.CheckpointStore on Redis. For each
// account and channel, under prefix+":{account/channel}":
//
//	:cp     hash: "v" the version, "cp" the checkpoint as JSON
//	:fence  the fencing counter (INCR on every lease taken)
//	:lease  "owner:fence" of the lease held, with the lease's PX expiry
//
// Save, Acquire, Renew and Release are Lua scripts, each one atomic step.
type CheckpointStore struct {
	rdb    *redis.Client
	prefix string
}

// NewCheckpointStore returns the checkpoint store under prefix, such as
// "orderkit:inventorum".
func NewCheckpointStore(rdb *redis.Client, prefix string) *CheckpointStore {
	return &CheckpointStore{rdb: rdb, prefix: prefix}
}

func (s *CheckpointStore) keys(k inventorum.CheckpointKey) []string {
	// The braces make one hash tag of the account and channel.
	base := s.prefix + ":{" + strings.ReplaceAll(k.String(), "}", "%7D") + "}"
	return []string{base + ":cp", base + ":fence", base + ":lease"}
}

// Load returns the checkpoint and its version (0: never saved).
func (s *CheckpointStore) Load(ctx context.Context, key inventorum.CheckpointKey) (inventorum.DeltaCheckpoint, uint64, error) {
	var cp inventorum.DeltaCheckpoint
	vals, err := s.rdb.HMGet(ctx, s.keys(key)[0], "v", "cp").Result()
	if err != nil {
		return cp, 0, fmt.Errorf("redisfleet: checkpoint %s: %w", key, err)
	}
	if vals[0] == nil {
		return cp, 0, nil
	}
	v, err := strconv.ParseUint(vals[0].(string), 10, 64)
	if err != nil {
		return cp, 0, fmt.Errorf("redisfleet: checkpoint %s: version: %w", key, err)
	}
	if js, _ := vals[1].(string); js != "" {
		if err := json.Unmarshal([]byte(js), &cp); err != nil {
			return inventorum.DeltaCheckpoint{}, 0, fmt.Errorf("redisfleet: checkpoint %s: %w", key, err)
		}
	}
	return cp, v, nil
}

var saveScript = redis.NewScript(`
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
if fence ~= tonumber(ARGV[2]) then return {-1, fence} end
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return {-2, v} end
redis.call('HSET', KEYS[1], 'v', v + 1, 'cp', ARGV[3])
return {v + 1, 0}`)

// Save stores cp if version is the stored one and fence the newest
// fencing token.
func (s *CheckpointStore) Save(ctx context.Context, key inventorum.CheckpointKey, cp *inventorum.DeltaCheckpoint, version, fence uint64) (uint64, error) {
	if cp == nil {
		return 0, errors.New("redisfleet: no checkpoint to save")
	}
	if err := cp.Validate(); err != nil {
		return 0, err
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return 0, err
	}
	res, err := saveScript.Run(ctx, s.rdb, s.keys(key)[:2], version, fence, b).Int64Slice()
	if err != nil {
		return 0, fmt.Errorf("redisfleet: saving checkpoint %s: %w", key, err)
	}
	switch res[0] {
	case -1:
		return 0, fmt.Errorf("%w: %s: fencing token %d, newest %d", inventorum.ErrLeaseLost, key, fence, res[1])
	case -2:
		return 0, fmt.Errorf("%w: %s: version %d, stored %d", inventorum.ErrCheckpointConflict, key, version, res[1])
	}
	return uint64(res[0]), nil
}

var acquireScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local fence = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return fence`)

// Acquire takes the lease (SET PX, when no lease key exists) with the
// next value of the fencing counter (INCR), in one script.
func (s *CheckpointStore) Acquire(ctx context.Context, key inventorum.CheckpointKey, ttl time.Duration) (inventorum.Lease, error) {
	if ttl < time.Millisecond {
		return inventorum.Lease{}, fmt.Errorf("redisfleet: lease ttl %s is below a millisecond", ttl)
	}
	owner := inventorum.NewLeaseOwner()
	f, err := acquireScript.Run(ctx, s.rdb, s.keys(key)[1:], owner, ttl.Milliseconds()).Int64()
	if err != nil {
		return inventorum.Lease{}, fmt.Errorf("redisfleet: lease %s: %w", key, err)
	}
	if f == 0 {
		return inventorum.Lease{}, fmt.Errorf("%w: %s", inventorum.ErrLeaseHeld, key)
	}
	return inventorum.Lease{Key: key, Owner: owner, Fence: uint64(f)}, nil
}

var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`)

func leaseValue(l inventorum.Lease) string { return l.Owner + ":" + strconv.FormatUint(l.Fence, 10) }

// Renew extends the lease if it is still held.
func (s *CheckpointStore) Renew(ctx context.Context, l inventorum.Lease, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return fmt.Errorf("redisfleet: lease ttl %s is below a millisecond", ttl)
	}
	n, err := renewScript.Run(ctx, s.rdb, s.keys(l.Key)[2:], leaseValue(l), ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("redisfleet: renewing lease %s: %w", l.Key, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", inventorum.ErrLeaseLost, l.Key)
	}
	return nil
}

// Release ends the lease if it is still held.
func (s *CheckpointStore) Release(ctx context.Context, l inventorum.Lease) error {
	if err := unlockScript.Run(ctx, s.rdb, s.keys(l.Key)[2:], leaseValue(l)).Err(); err != nil {
		return fmt.Errorf("redisfleet: releasing lease %s: %w", l.Key, err)
	}
	return nil
}

var (
	_ inventorum.CheckpointStore = (*CheckpointStore)(nil)
	_ inventorum.TokenStore      = (*TokenStore)(nil)
)
