package adapters

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"dealbooks/app/invoicing"
)

// memRefs is an in-memory ReferenceStore.
type memRefs struct {
	mu   sync.Mutex
	rows map[string]memRef
}

type memRef struct {
	body    []byte
	fetched time.Time
}

var _ ReferenceStore = (*memRefs)(nil)

func newMemRefs() *memRefs { return &memRefs{rows: map[string]memRef{}} }

func (m *memRefs) Reference(_ context.Context, kind string) ([]byte, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rows[kind]
	if !ok {
		return nil, time.Time{}, fmt.Errorf("reference data %v: %w", kind, invoicing.ErrNotFound)
	}
	return r.body, r.fetched, nil
}

func (m *memRefs) SaveReference(_ context.Context, kind string, body []byte, fetchedAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rows[kind] = memRef{body: slices.Clone(body), fetched: fetchedAt}
	return nil
}

func (m *memRefs) DeleteReference(_ context.Context, kind string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rows, kind)
	return nil
}
