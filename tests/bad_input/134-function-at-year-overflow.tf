# path: local.when
# expect: Invalid value for "timestamp" parameter
# expect: falls outside years 0000-9999
# command: plan
locals {
  when = provider::lambdawire::at("9999-12-31T23:00:00Z", "Pacific/Kiritimati")
}
