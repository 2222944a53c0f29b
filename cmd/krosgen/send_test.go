package main

import (
	"testing"
)

func TestSend_PrepareKeepsMemberOrder(t *testing.T) {
	o := &sendOptions{id: "evt_x", sets: []string{"data.duration=0", "/data/a~1b=\"q\"", "data.new.deep=true", "data.note=plain text"}}
	got, err := o.prepare([]byte(`{"event":"call.completed","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_1","duration":180,"n":1.50}}`), true)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event":"call.completed","id":"evt_x","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_1","duration":0,"n":1.50,"a/b":"q","new":{"deep":true},"note":"plain text"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := (&sendOptions{sets: []string{"data.call_id.x=1"}}).prepare([]byte(`{"data":{"call_id":"c"}}`), false); err == nil {
		t.Error("-set through a string succeeded")
	}
	if _, err := (&sendOptions{sets: []string{"novalue"}}).prepare([]byte(`{}`), false); err == nil {
		t.Error("-set without = succeeded")
	}
	fresh, _ := (&sendOptions{}).prepare([]byte(`{"id":"evt_1"}`), true)
	again, _ := (&sendOptions{}).prepare([]byte(`{"id":"evt_1"}`), true)
	if string(fresh) == string(again) || string(fresh) == `{"id":"evt_1"}` {
		t.Errorf("a documented example is not sent with a fresh id: %s, %s", fresh, again)
	}
	if same, _ := (&sendOptions{}).prepare([]byte(`{"id":"evt_1"}`), false); string(same) != `{"id":"evt_1"}` {
		t.Errorf("a payload file is not sent as it is: %s", same)
	}
}
