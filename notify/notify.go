// Package notify sends reminder messages to chat-group webhooks: a generic
// JSON payload, the WeCom (企业微信) group robot and the DingTalk (钉钉) robot.
package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Formats of webhook messages.
const (
	Generic  = "generic"
	WeCom    = "wecom"
	DingTalk = "dingtalk"
)

// Formats lists every format.
var Formats = []string{Generic, WeCom, DingTalk}

// School is a school that has not submitted.
type School struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Phone   string `json:"phone"`
}

// Reminder is one message about a drive's missing schools.
type Reminder struct {
	Kind      string `json:"kind"` // before_due, overdue, chase, test
	Drive     string `json:"drive"`
	DriveName string `json:"driveName"`
	Period    string `json:"period"`
	// PeriodLabel is the period as people write it ("2026年12月"), which the
	// message shows; the key stays for machines reading the generic format.
	PeriodLabel string    `json:"periodLabel,omitempty"`
	DueAt       time.Time `json:"dueAt"`
	Org         string    `json:"org"`
	OrgName     string    `json:"orgName"`
	Expected    int       `json:"expected"`
	Submitted   int       `json:"submitted"`
	Missing     []School  `json:"missing"`
}

// Text is the reminder as a chat message in Chinese.
func (r Reminder) Text(loc *time.Location) string {
	if r.Kind == "test" {
		return fmt.Sprintf("【测试消息】%s的填报提醒将发到这里。", r.OrgName)
	}
	var b strings.Builder
	head := map[string]string{"before_due": "填报提醒", "overdue": "逾期提醒", "chase": "催报"}[r.Kind]
	if head == "" {
		head = "填报提醒"
	}
	period := r.PeriodLabel
	if period == "" {
		period = r.Period
	}
	fmt.Fprintf(&b, "【%s】%s %s 截止 %s\n", head, period, r.DriveName, r.DueAt.In(loc).Format("2006年1月2日 15:04"))
	fmt.Fprintf(&b, "%s：应报 %d 所，已报 %d 所，未报 %d 所。\n", r.OrgName, r.Expected, r.Submitted, len(r.Missing))
	const shown = 30
	for i, s := range r.Missing {
		if i == shown {
			fmt.Fprintf(&b, "……等共 %d 所\n", len(r.Missing))
			break
		}
		fmt.Fprintf(&b, "%d. %s（%s）%s %s\n", i+1, s.Name, s.Code, s.Contact, s.Phone)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Body returns the request body of a reminder in a format.
func Body(format string, r Reminder, loc *time.Location) ([]byte, error) {
	text := r.Text(loc)
	var mobiles []string
	for i, s := range r.Missing {
		if i == 30 {
			break
		}
		if s.Phone != "" {
			mobiles = append(mobiles, s.Phone)
		}
	}
	switch format {
	case WeCom:
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]any{
			"content": text, "mentioned_mobile_list": mobiles}})
	case DingTalk:
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]any{"content": text},
			"at": map[string]any{"atMobiles": mobiles, "isAtAll": false}})
	case Generic:
		return json.Marshal(map[string]any{"event": "tianbao.reminder", "reminder": r, "text": text})
	}
	return nil, fmt.Errorf("notify: unknown format %q", format)
}
