package invoicing

import (
	"context"
	"errors"
	"testing"
)

func TestOwnersAreReadOncePerService(t *testing.T) {
	h := newHarness(t)
	h.crm.users = []Owner{{ID: 7, Name: "Sam Rivera"}, {ID: 8, Name: "Alex Morgan"}}
	svc := h.newService()
	ctx := context.Background()
	for range 2 {
		owners, err := svc.Owners(ctx)
		if err != nil || len(owners) != 2 || owners[1].Name != "Alex Morgan" {
			t.Fatalf("Owners = %v, %v", owners, err)
		}
	}
	if n := h.crm.count("Users"); n != 1 {
		t.Errorf("read the users %d times, want once", n)
	}
}

func TestOwnersOfflineIsAnEmptyListAskedAgainLater(t *testing.T) {
	h := newHarness(t)
	h.crm.users = []Owner{{ID: 7, Name: "Sam Rivera"}}
	h.crm.setOffline(true)
	svc := h.newService()
	ctx := context.Background()
	owners, err := svc.Owners(ctx)
	if err != nil || owners == nil || len(owners) != 0 {
		t.Fatalf("offline: Owners = %#v, %v; want an empty list and no error", owners, err)
	}
	h.crm.setOffline(false)
	if owners, err = svc.Owners(ctx); err != nil || len(owners) != 1 {
		t.Errorf("back online: Owners = %v, %v", owners, err)
	}
}

func TestOwnersPassesOnOtherErrors(t *testing.T) {
	h := newHarness(t)
	h.crm.usersErr = ErrAuthExpired
	if _, err := h.newService().Owners(context.Background()); !errors.Is(err, ErrAuthExpired) {
		t.Errorf("err = %v, want ErrAuthExpired", err)
	}
}

func TestOwnersEmptyListIsKept(t *testing.T) {
	h := newHarness(t)
	svc := h.newService()
	for range 2 {
		if owners, err := svc.Owners(context.Background()); err != nil || len(owners) != 0 {
			t.Fatalf("Owners = %v, %v", owners, err)
		}
	}
	if n := h.crm.count("Users"); n != 1 {
		t.Errorf("read the users %d times, want once", n)
	}
}
