package secrets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// KeychainStore keeps secrets in the OS keychain through github.com/zalando/go-keyring, one
// item per key under one service name. Keychain calls can hang (a locked or missing Secret
// Service, an unanswered unlock prompt), so each runs on its own goroutine and the caller
// waits at most the timeout; a call that hangs for good leaves only that goroutine behind.
type KeychainStore struct {
	service string
	timeout time.Duration
	ring    ring
}

// ring is the part of go-keyring we use; tests replace it to make a keychain hang.
type ring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// osRing is the keychain go-keyring picks for this OS (or its mock after keyring.MockInit).
type osRing struct{}

func (osRing) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osRing) Set(service, user, password string) error { return keyring.Set(service, user, password) }
func (osRing) Delete(service, user string) error        { return keyring.Delete(service, user) }

// NewKeychain returns the OS keychain under service, each call bounded by timeout.
func NewKeychain(service string, timeout time.Duration) *KeychainStore {
	return &KeychainStore{service: service, timeout: timeout, ring: osRing{}}
}

// Get returns the secret under key, or ErrNotFound.
func (k *KeychainStore) Get(ctx context.Context, key string) (string, error) {
	value, err := call(ctx, k, "reading "+key, func() (string, error) { return k.ring.Get(k.service, key) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("secrets: %s: %w", key, ErrNotFound)
	}
	return value, err
}

// Set stores value under key. Windows refuses values over 2560 bytes and macOS over about 3000;
// such a value fails with an error saying it is too big.
func (k *KeychainStore) Set(ctx context.Context, key, value string) error {
	_, err := call(ctx, k, "saving "+key, func() (struct{}, error) { return struct{}{}, k.ring.Set(k.service, key, value) })
	return err
}

// Delete removes key; a missing key is not an error.
func (k *KeychainStore) Delete(ctx context.Context, key string) error {
	_, err := call(ctx, k, "deleting "+key, func() (struct{}, error) { return struct{}{}, k.ring.Delete(k.service, key) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// Kind is Keychain.
func (k *KeychainStore) Kind() Kind { return Keychain }

// Describe says where the secrets are.
func (k *KeychainStore) Describe() string {
	return "Sign-ins and client secrets are kept in the OS keychain."
}

// answers reports whether the keychain answers a read within the probe timeout.
func (k *KeychainStore) answers(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, min(k.timeout, probeTimeout))
	defer cancel()
	_, err := k.Get(ctx, "keychain-probe")
	return err == nil || isNotFound(err)
}

// call runs f on its own goroutine and waits for it, the context or the timeout, whichever
// comes first. The error names the operation, never a value.
func call[T any](ctx context.Context, k *KeychainStore, op string, f func() (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	type result struct {
		value T
		err   error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		switch {
		case r.err == nil, errors.Is(r.err, keyring.ErrNotFound):
			return r.value, r.err
		case errors.Is(r.err, keyring.ErrSetDataTooBig):
			return r.value, fmt.Errorf("secrets: %s: the value is too big for the OS keychain: %w", op, r.err)
		default:
			return r.value, fmt.Errorf("secrets: %s in the OS keychain: %w", op, r.err)
		}
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("secrets: the OS keychain did not answer %s in time: %w", op, ctx.Err())
	}
}
