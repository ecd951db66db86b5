# path: local.when
# expect: Invalid value for "timezone" parameter
# expect: is not recognised
# command: plan
locals {
  when = provider::lambdawire::at("2030-01-01T09:00:00Z", "Europe/Atlantis")
}
