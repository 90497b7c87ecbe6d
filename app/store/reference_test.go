package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"dealbooks/app/invoicing"
)

func TestReferenceData(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	r := repository(t, s, "pd-1", "qb-1")
	other := repository(t, s, "pd-1", "qb-2")

	if _, _, err := r.Reference(ctx, "quickbooks.items"); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Reference before any save: err = %v, want ErrNotFound", err)
	}
	mustDo(t,
		r.SaveReference(ctx, "quickbooks.items", []byte(`[{"ID":"1"}]`), at(9, 0)),
		r.SaveReference(ctx, "quickbooks.items", []byte(`[{"ID":"2"}]`), at(10, 30)), // replaces the first
		r.SaveReference(ctx, "quickbooks.terms", []byte(`[]`), at(9, 0)),
		other.SaveReference(ctx, "quickbooks.items", []byte(`[{"ID":"9"}]`), at(8, 0)),
	)
	tests := []struct {
		name, kind string
		repo       *Repository
		body       string
		fetched    string
	}{
		{"the last save wins", "quickbooks.items", r, `[{"ID":"2"}]`, "2026-11-27 10:30:00.123456789 +0000 UTC"},
		{"kinds are apart", "quickbooks.terms", r, `[]`, "2026-11-27 09:00:00.123456789 +0000 UTC"},
		{"pairs are apart", "quickbooks.items", other, `[{"ID":"9"}]`, "2026-11-27 08:00:00.123456789 +0000 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, fetched, err := tt.repo.Reference(ctx, tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != tt.body || fetched.String() != tt.fetched {
				t.Errorf("Reference(%q) = %s fetched %v; want %s fetched %s", tt.kind, body, fetched, tt.body, tt.fetched)
			}
		})
	}

	mustDo(t, r.DeleteReference(ctx, "quickbooks.items"), r.DeleteReference(ctx, "pipedrive.users")) // none: fine
	if _, _, err := r.Reference(ctx, "quickbooks.items"); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("Reference after delete: err = %v, want ErrNotFound", err)
	}
	if body, _, err := other.Reference(ctx, "quickbooks.items"); err != nil || string(body) != `[{"ID":"9"}]` {
		t.Errorf("another pair's reference data after delete = %s, %v; want it kept", body, err)
	}
}
