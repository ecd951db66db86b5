variable "region" {
  description = "AWS region of the function, the role's scope and the schedules."
  type        = string
  default     = "us-east-1"
}

variable "function_name" {
  description = "Name of the target function (and of its log group)."
  type        = string
  default     = "one-time-callback"
}

variable "schedule_group" {
  description = "Schedule group the application creates its one-time schedules in."
  type        = string
  default     = "one-time-callbacks"
}

variable "app_role_name" {
  description = "Name of the role the application that creates the schedules runs as."
  type        = string
  default     = "one-time-callback-scheduler-app"
}
