package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/metrics", metricsHandler(h.Metrics))

	api := app.Group("/api/v1")
	api.Post("/auth/login", h.authLogin)
	api.Get("/setup", h.setupGet)
	api.Post("/setup", h.setupPost)

	signed := api.Group("", requireUser(h.Auth))
	signed.Post("/auth/logout", h.authLogout)
	signed.Get("/me", h.me)
	signed.Post("/me/password", h.mePassword)

	school := requireRole(store.RoleSchool)
	bureau := requireRole(store.RoleAdmin, store.RoleDistrict, store.RoleViewer)
	reviewer := requireRole(store.RoleAdmin, store.RoleDistrict)

	signed.Get("/tasks", school, h.taskList)
	signed.Get("/drives", bureau, h.driveList)
	signed.Post("/drives", reviewer, h.driveCreate)
	signed.Post("/drives/:drive/reopen", reviewer, h.driveReopen)
	signed.Post("/drives/:drive/chase", reviewer, h.driveChase)
	signed.Get("/drives/:drive/reminders", bureau, h.driveReminders)
	signed.Post("/drives/:drive/approvals", reviewer, h.driveApprove)
	signed.Get("/drives/:drive/signoffs/:unit", bureau, h.driveSignoff)
	signed.Post("/drives/:drive/signoffs/:unit", reviewer, h.driveSignoffStep)
	signed.Get("/webhooks", reviewer, h.webhookList)
	signed.Post("/webhooks", reviewer, h.webhookCreate)
	signed.Delete("/webhooks/:id", reviewer, h.webhookDelete)
	signed.Post("/webhooks/:id/test", reviewer, h.webhookProbe)
	signed.Get("/schedules", bureau, h.scheduleList)
	signed.Post("/schedules", reviewer, h.scheduleCreate)
	signed.Post("/schedules/from-plan", reviewer, h.scheduleFromPlan)
	signed.Get("/checklist", reviewer, h.checklistGet)
	signed.Get("/drives/:drive/form", h.driveForm)
	signed.Get("/drives/:drive/context", h.driveContext)
	signed.Get("/hazards", h.hazardList)
	signed.Get("/drives/:drive/progress", bureau, h.driveProgress)
	signed.Get("/drives/:drive/export.xlsx", bureau, h.driveExport)
	signed.Get("/reports/trend.xlsx", bureau, h.reportTrend)
	signed.Get("/reports/trend", bureau, h.reportTrendJSON)
	signed.Post("/drives/:drive/exports", bureau, h.exportStart)
	signed.Get("/exports/:id", bureau, h.exportGet)
	signed.Get("/exports/:id/download", bureau, h.exportDownload)
	signed.Post("/drives/:drive/submissions", h.submissionCreate)
	signed.Get("/drives/:drive/submissions", bureau, h.submissionList)
	signed.Get("/submissions/:id", h.submissionGet)
	signed.Put("/submissions/:id", school, h.submissionUpdate)
	signed.Get("/submissions/:id/revisions", h.submissionRevisions)
	signed.Post("/submissions/:id/review", reviewer, h.submissionReview)

	admin := requireRole(store.RoleAdmin)
	signed.Get("/indicators", bureau, h.indicatorList)
	signed.Post("/indicators", admin, h.indicatorCreate)
	signed.Put("/indicators/:code", admin, h.indicatorUpdate)
	signed.Get("/plans", bureau, h.planList)
	signed.Get("/plans/:id", bureau, h.planGet)
	signed.Post("/plans", admin, h.planCreate)
	signed.Post("/plans/extract", admin, h.planExtract)
	signed.Put("/plans/:id", admin, h.planUpdate)
	signed.Get("/settings/webhook-hosts", admin, h.webhookHostsGet)
	signed.Put("/settings/webhook-hosts", admin, h.webhookHostsPut)

	h.orgImportRoutes(signed) // before /orgs/:id, which would match export.xlsx
	signed.Get("/orgs", h.orgList)
	signed.Get("/orgs/:id", h.orgGet)
	signed.Get("/orgs/:id/hazards", h.orgHazards)
	signed.Post("/orgs", reviewer, h.orgCreate)
	signed.Put("/orgs/:id", reviewer, h.orgUpdate)
	signed.Post("/units", reviewer, h.unitCreate)
	signed.Put("/units/:id", reviewer, h.unitUpdate)
	signed.Get("/audit", admin, h.auditList)

	manager := requireRole(store.RoleAdmin, store.RoleDistrict, store.RoleSchool)
	signed.Get("/users", manager, h.userList)
	signed.Post("/users", manager, h.userCreate)
	signed.Post("/users/bulk", reviewer, h.userBulk) // before /users/:id/…
	signed.Post("/users/:id/disable", manager, h.userDisable)
	signed.Post("/users/:id/enable", manager, h.userEnable)
	signed.Post("/users/:id/reset-password", manager, h.userResetPassword)

	h.openapiRoutes(app)
	h.webRoutes(app)
}
