package inventorum

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
)

// Errors of a CheckpointStore, matched with errors.Is.
var (
	// ErrLeaseHeld: another worker holds the lease on the key.
	ErrLeaseHeld = errors.New("inventorum: the checkpoint lease is held by another worker")
	// ErrLeaseLost: the lease expired or was taken over, so it cannot be
	// renewed, and a save with its fencing token is refused.
	ErrLeaseLost = errors.New("inventorum: the checkpoint lease was lost")
	// ErrCheckpointConflict: the stored checkpoint is not the version the
	// save was based on.
	ErrCheckpointConflict = errors.New("inventorum: the checkpoint changed since it was loaded")
)

// CheckpointKey names one stored checkpoint: one channel of one account,
// the unit that one worker at a time syncs.
type CheckpointKey struct {
	// Account is the caller's name for the Inventorum account.
	Account string
	Channel Channel
}

// String returns "account/channel".
func (k CheckpointKey) String() string { return k.Account + "/" + string(k.Channel) }

// Lease is the right to sync one key, until it expires. Fence is its
// fencing token: greater than that of every lease issued before on the
// key, so that a save by a worker whose lease has been taken over (it was
// paused, or cut off, past the lease's time) is refused.
type Lease struct {
	Key CheckpointKey
	// Owner tells this lease from the others on the key (random).
	Owner string
	Fence uint64
}

// CheckpointStore keeps the checkpoints of many accounts and channels for
// a fleet of workers, each with a version, and a lease per key with a
// fencing token. Orders.SyncLeased drives a sync through it.
//
// The contract, across every process sharing the store (package storetest
// checks it):
//
//   - Load returns the checkpoint stored under key and its version; a key
//     never saved is the zero checkpoint at version 0.
//   - Save stores cp under key only if the stored version is still version
//     and fence is the newest fencing token issued on key (0 when none was
//     ever issued: a store used without leases), atomically, and returns
//     the new version (greater than version). A newer lease exists: the
//     error matches ErrLeaseLost; another version is stored: it matches
//     ErrCheckpointConflict. Nothing is stored in either case.
//   - Acquire takes the lease on key for ttl when no unexpired lease is
//     held, with a fencing token greater than every one issued before on
//     key (kept as long as the checkpoint), and fails with ErrLeaseHeld
//     otherwise.
//   - Renew extends the lease for ttl from now if it is still the key's
//     lease and unexpired; otherwise the error matches ErrLeaseLost.
//   - Release ends the lease if it is still the key's; the fencing token
//     stays.
//
// Lease times are the store's clock (the file and memory stores use the
// machine's). A holder must stop before its lease's time runs out on its
// own clock, counting from before the request that took or renewed it.
type CheckpointStore interface {
	Load(ctx context.Context, key CheckpointKey) (cp DeltaCheckpoint, version uint64, err error)
	Save(ctx context.Context, key CheckpointKey, cp *DeltaCheckpoint, version, fence uint64) (newVersion uint64, err error)
	Acquire(ctx context.Context, key CheckpointKey, ttl time.Duration) (Lease, error)
	Renew(ctx context.Context, l Lease, ttl time.Duration) error
	Release(ctx context.Context, l Lease) error
}

// NewLeaseOwner returns a random owner id for a Lease.
func NewLeaseOwner() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkpointState is one key's state in the memory and file stores.
type checkpointState struct {
	Version    uint64          `json:"version"`
	Checkpoint json.RawMessage `json:"checkpoint,omitempty"`
	// The lease, and the newest fencing token issued.
	Owner   string    `json:"owner,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
	Fence   uint64    `json:"fence"`
}

func (st *checkpointState) load() (DeltaCheckpoint, uint64, error) {
	var cp DeltaCheckpoint
	if len(st.Checkpoint) == 0 {
		return cp, st.Version, nil
	}
	if err := json.Unmarshal(st.Checkpoint, &cp); err != nil {
		return DeltaCheckpoint{}, 0, err
	}
	return cp, st.Version, nil
}

func (st *checkpointState) save(cp *DeltaCheckpoint, version, fence uint64) (uint64, error) {
	if cp == nil {
		return 0, pipeline.Invalid(apiName, "no checkpoint to save")
	}
	if err := cp.Validate(); err != nil {
		return 0, err
	}
	if fence != st.Fence {
		return 0, fmt.Errorf("%w: fencing token %d, newest %d", ErrLeaseLost, fence, st.Fence)
	}
	if version != st.Version {
		return 0, fmt.Errorf("%w: version %d, stored %d", ErrCheckpointConflict, version, st.Version)
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return 0, err
	}
	st.Checkpoint, st.Version = b, st.Version+1
	return st.Version, nil
}

func (st *checkpointState) acquire(key CheckpointKey, ttl time.Duration, now time.Time) (Lease, error) {
	if ttl <= 0 {
		return Lease{}, pipeline.Invalid(apiName, "lease ttl %s is not positive", ttl)
	}
	if st.Owner != "" && now.Before(st.Expires) {
		return Lease{}, fmt.Errorf("%w: %s", ErrLeaseHeld, key)
	}
	st.Fence++
	st.Owner, st.Expires = NewLeaseOwner(), now.Add(ttl)
	return Lease{Key: key, Owner: st.Owner, Fence: st.Fence}, nil
}

func (st *checkpointState) renew(l Lease, ttl time.Duration, now time.Time) error {
	if ttl <= 0 {
		return pipeline.Invalid(apiName, "lease ttl %s is not positive", ttl)
	}
	if st.Owner != l.Owner || st.Fence != l.Fence || !now.Before(st.Expires) {
		return fmt.Errorf("%w: %s", ErrLeaseLost, l.Key)
	}
	st.Expires = now.Add(ttl)
	return nil
}

func (st *checkpointState) release(l Lease) {
	if st.Owner == l.Owner && st.Fence == l.Fence {
		st.Owner, st.Expires = "", time.Time{}
	}
}

// NewMemoryCheckpointStore returns a CheckpointStore in memory, for the
// workers of one process (and tests).
func NewMemoryCheckpointStore() CheckpointStore {
	return &memoryCheckpointStore{m: map[CheckpointKey]*checkpointState{}}
}

type memoryCheckpointStore struct {
	mu sync.Mutex
	m  map[CheckpointKey]*checkpointState
}

func (s *memoryCheckpointStore) state(key CheckpointKey) *checkpointState {
	st := s.m[key]
	if st == nil {
		st = &checkpointState{}
		s.m[key] = st
	}
	return st
}

func (s *memoryCheckpointStore) Load(ctx context.Context, key CheckpointKey) (DeltaCheckpoint, uint64, error) {
	if err := ctx.Err(); err != nil {
		return DeltaCheckpoint{}, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state(key).load()
}

func (s *memoryCheckpointStore) Save(ctx context.Context, key CheckpointKey, cp *DeltaCheckpoint, version, fence uint64) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state(key).save(cp, version, fence)
}

func (s *memoryCheckpointStore) Acquire(ctx context.Context, key CheckpointKey, ttl time.Duration) (Lease, error) {
	if err := ctx.Err(); err != nil {
		return Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state(key).acquire(key, ttl, time.Now())
}

func (s *memoryCheckpointStore) Renew(ctx context.Context, l Lease, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state(l.Key).renew(l, ttl, time.Now())
}

func (s *memoryCheckpointStore) Release(ctx context.Context, l Lease) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state(l.Key).release(l)
	return nil
}

// NewFileCheckpointStore returns a CheckpointStore in directory dir, shared
// by the processes of one machine: one JSON file per key,
// dir/<account>/<channel>.json (the account name path-escaped), holding the
// checkpoint, its version, the lease and the newest fencing token. Every
// operation holds an advisory file lock (flock) on the key's ".lock" file
// and replaces the file atomically (synced to disk). Outside unix the
// locks hold within one process only.
func NewFileCheckpointStore(dir string) CheckpointStore {
	return &fileCheckpointStore{dir: dir}
}

type fileCheckpointStore struct{ dir string }

func (s *fileCheckpointStore) path(key CheckpointKey) (string, error) {
	if key.Account == "" || !key.Channel.Valid() {
		return "", pipeline.Invalid(apiName, "checkpoint key %q: an account and a documented channel are required", key)
	}
	return filepath.Join(s.dir, url.PathEscape(key.Account), string(key.Channel)+".json"), nil
}

// with runs f on key's state under the key's file lock and writes the
// state back when f reports a change.
func (s *fileCheckpointStore) with(ctx context.Context, key CheckpointKey, f func(st *checkpointState) (bool, error)) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("inventorum: checkpoint store: %w", err)
	}
	unlock, err := lockFile(ctx, p+".lock")
	if err != nil {
		return fmt.Errorf("inventorum: checkpoint store: %w", err)
	}
	defer unlock()
	var st checkpointState
	b, err := os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("inventorum: checkpoint store: %w", err)
	default:
		if err := json.Unmarshal(b, &st); err != nil {
			return fmt.Errorf("inventorum: checkpoint store %s: %w", p, err)
		}
	}
	changed, err := f(&st)
	if err != nil || !changed {
		return err
	}
	if b, err = json.MarshalIndent(&st, "", "  "); err != nil {
		return err
	}
	if err := writeFileAtomic(p, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("inventorum: checkpoint store: %w", err)
	}
	return nil
}

func (s *fileCheckpointStore) Load(ctx context.Context, key CheckpointKey) (cp DeltaCheckpoint, version uint64, err error) {
	err = s.with(ctx, key, func(st *checkpointState) (bool, error) {
		cp, version, err = st.load()
		return false, err
	})
	return cp, version, err
}

func (s *fileCheckpointStore) Save(ctx context.Context, key CheckpointKey, cp *DeltaCheckpoint, version, fence uint64) (nv uint64, err error) {
	err = s.with(ctx, key, func(st *checkpointState) (bool, error) {
		nv, err = st.save(cp, version, fence)
		return err == nil, err
	})
	return nv, err
}

func (s *fileCheckpointStore) Acquire(ctx context.Context, key CheckpointKey, ttl time.Duration) (l Lease, err error) {
	err = s.with(ctx, key, func(st *checkpointState) (bool, error) {
		l, err = st.acquire(key, ttl, time.Now())
		return err == nil, err
	})
	return l, err
}

func (s *fileCheckpointStore) Renew(ctx context.Context, l Lease, ttl time.Duration) error {
	return s.with(ctx, l.Key, func(st *checkpointState) (bool, error) {
		err := st.renew(l, ttl, time.Now())
		return err == nil, err
	})
}

func (s *fileCheckpointStore) Release(ctx context.Context, l Lease) error {
	return s.with(ctx, l.Key, func(st *checkpointState) (bool, error) {
		before := st.Owner
		st.release(l)
		return st.Owner != before, nil
	})
}
