package fidelity

import (
	"fmt"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

func try(p string) {
	done := make(chan string, 1)
	go func() {
		ev, err := krosai.Parse([]byte(p))
		done <- fmt.Sprintf("%#v %v", ev, err)
	}()
	select {
	case s := <-done:
		fmt.Println("PARSE:", s)
	case <-time.After(2 * time.Second):
		fmt.Println("PARSE: HANG")
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Println("REF: PANIC", r)
			}
		}()
		fmt.Println("REF:", schema.Validate([]byte(p)))
	}()
}

func TestScratch(t *testing.T) {
	try(`{"event":"x\`)
	try(`{"event":"balance.low","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"current_balance_cents":1e1000001,"threshold_cents":1}}`)
	try(`{"event":"call.completed","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_1","direction":"inbound","from_number":"+14155551234","to_number":"+14155551234","duration":1,"cost_cents":1,"hangup_cause":"x","metadata":{"a b":1,"":2}}}`)
}
