# path: local.when
# expect: Invalid value for "timestamp" parameter
# expect: not a valid RFC 3339 timestamp
# command: validate
locals {
  when = provider::lambdawire::at("2030-01-01 9am", "UTC")
}
