package pipedrive

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/internal/testkit"
)

func TestDealFieldsWrittenInTheirV2Shapes(t *testing.T) {
	h := newHarness(t, 3)
	ctx := context.Background()
	status, err := h.c.CreateDealField(ctx, "Invoice status", "varchar")
	if err != nil {
		t.Fatal(err)
	}
	amount, err := h.c.CreateDealField(ctx, "Invoiced amount", "monetary")
	if err != nil {
		t.Fatal(err)
	}
	dealID := h.data.Deals[0].ID
	// pipedrive.md §3.8: in v2 a monetary value is {"value": number, "currency": code}, text a string.
	if err := h.c.UpdateDealFields(ctx, dealID, map[string]any{status.Code: "Paid",
		amount.Code: map[string]any{"value": 1234.56, "currency": "USD"}}); err != nil {
		t.Fatal(err)
	}
	d, err := h.c.Deal(ctx, dealID)
	if err != nil {
		t.Fatal(err)
	}
	defs := NewFields([]Field{status, amount})
	if v, ok, err := defs.Resolve(d.CustomFields, status.Code); err != nil || !ok || v.Text != "Paid" {
		t.Errorf("status reads %+v, %v, %v; want Paid", v, ok, err)
	}
	if v, ok, err := defs.Resolve(d.CustomFields, amount.Code); err != nil || !ok || !v.Number.Equal(testkit.Dec("1234.56")) || v.Currency != "USD" {
		t.Errorf("amount reads %+v, %v, %v; want 1234.56 USD", v, ok, err)
	}
	for name, bad := range map[string]any{
		"a monetary field given a bare number": map[string]any{amount.Code: 12},
		"a text field given a number":          map[string]any{status.Code: 3},
		"an unknown field":                     map[string]any{"0000000000000000000000000000000000000000": "x"},
	} {
		if err := h.c.UpdateDealFields(ctx, dealID, bad.(map[string]any)); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v, want a bad request", name, err)
		}
	}
	// Pipedrive refuses the whole request when one value is wrong: the good value beside it is not written.
	if err := h.c.UpdateDealFields(ctx, dealID, map[string]any{status.Code: "Sent", amount.Code: 12}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("a good value beside a bad one: %v, want a bad request", err)
	}
	if after, err := h.c.Deal(ctx, dealID); err != nil {
		t.Fatal(err)
	} else if v, _, _ := defs.Resolve(after.CustomFields, status.Code); v.Text != "Paid" || !after.UpdateTime.Equal(d.UpdateTime.Time) {
		t.Errorf("a refused request left status %q, update time %v (was Paid, %v)", v.Text, after.UpdateTime, d.UpdateTime)
	}
	if err := h.c.UpdateDealFields(ctx, dealID, map[string]any{status.Code: nil}); err != nil {
		t.Fatal(err)
	}
	if d, err = h.c.Deal(ctx, dealID); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := defs.Resolve(d.CustomFields, status.Code); ok {
		t.Error("null did not clear the status field")
	}
}

func TestFieldCreationDeniedToOneUser(t *testing.T) {
	h := newHarness(t, 1)
	ctx := context.Background()
	other := h.data.Users[1].ID
	const token = "other-user-api-token-0123456789"
	if !h.fake.AddUserToken(token, other) {
		t.Fatal("no second user")
	}
	h.fake.DenyFieldChanges(other)
	srv := httptest.NewServer(h.fake)
	t.Cleanup(srv.Close)
	denied, err := New(Config{APIToken: token, BaseURL: srv.URL, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := denied.CreateOrganizationField(ctx, "QuickBooks customer", "varchar"); !errors.Is(err, ErrForbidden) {
		t.Errorf("the denied user added a field: %v", err)
	}
	if _, err := h.c.CreateOrganizationField(ctx, "QuickBooks customer", "varchar"); err != nil {
		t.Errorf("another user may still add fields: %v", err)
	}
}

func TestNoteReadByID(t *testing.T) {
	h := newHarness(t, 1)
	ctx := context.Background()
	n, err := h.c.CreateNote(ctx, h.data.Deals[0].ID, "<p>QuickBooks invoice 1001</p>", false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.c.Note(ctx, n.ID)
	if err != nil || got.Content != "<p>QuickBooks invoice 1001</p>" || got.DealID != h.data.Deals[0].ID {
		t.Errorf("Note(%d) = %+v, %v", n.ID, got, err)
	}
	testkit.Eq(t, "tokens for the read", pipedrivefake.TokenCost("GET /api/v1/notes/{id}"), 2)
	if _, err := h.c.Note(ctx, n.ID+1000); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing note: %v, want not found", err)
	}
}
