package invoicing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&ValidationError{Issues: []Issue{{Message: "add at least one line"}}}, "add at least one line"},
		{fmt.Errorf("create: %w", &DuplicateNameError{Name: "Acme", ExistingID: "7"}), "link the deal to that customer"},
		{&DuplicateNumberError{Number: "PD-1", ExistingID: "9", ExistingType: "Invoice"}, "Invoice number PD-1 is already used by Invoice 9"},
		{&ChangedError{}, "changed this invoice"},
		{fmt.Errorf("delete: %w", ErrPaymentsLinked), "void it instead"},
		{fmt.Errorf("read: %w", ErrAuthExpired), "connect again"},
		{fmt.Errorf("read: %w", ErrOffline), "check the network"},
		{fmt.Errorf("read: %w", ErrNotFound), "refresh"},
		{fmt.Errorf("void: %w", ErrAlreadyVoided), "already voided in QuickBooks; there is nothing more to do"},
		{fmt.Errorf("read: %w", &NotFoundError{Kind: "deal", ID: "12"}), "Pipedrive has no deal 12"},
		{fmt.Errorf("read: %w", &NotFoundError{Kind: "invoice", ID: "34"}), "no invoice with Id 34"},
		{&ProviderError{Provider: "QuickBooks", Code: "6000", Message: "Business Validation Error"}, "QuickBooks refused it (Business Validation Error); change what it names"},
		{errors.New("disk full"), "disk full"},
	}
	for _, tt := range tests {
		got := Explain(tt.err)
		if !strings.Contains(got, tt.want) || strings.Count(got, ". ") > 0 || !strings.HasSuffix(got, ".") {
			t.Errorf("Explain(%v) = %q, want one sentence containing %q", tt.err, got, tt.want)
		}
	}
	if Explain(nil) != "" {
		t.Error("Explain(nil) is not empty")
	}
}

func TestErrorsAreTyped(t *testing.T) {
	stale := &ChangedError{After: Invoice{DocNumber: "1001"}}
	if !errors.Is(fmt.Errorf("void: %w", stale), ErrStale) {
		t.Error("a ChangedError is not ErrStale")
	}
	pe := &ProviderError{Provider: "QuickBooks", Code: "6000", Message: "x"}
	if pe.Error() != "QuickBooks error 6000: x" {
		t.Errorf("ProviderError = %q", pe.Error())
	}
	for _, err := range []error{pe, &DuplicateNameError{}, &DuplicateNumberError{}, ErrStale} {
		if !permanent(fmt.Errorf("wrapped: %w", err)) {
			t.Errorf("%v is not permanent", err)
		}
	}
	for _, err := range []error{ErrOffline, ErrAuthExpired, context.Canceled} {
		if permanent(err) {
			t.Errorf("%v is permanent; it may work later", err)
		}
	}
}
