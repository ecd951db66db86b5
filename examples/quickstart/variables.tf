variable "region" {
  description = "AWS region of the function, the schedule and the rule."
  type        = string
  default     = "us-east-1"
}

variable "function_arn" {
  description = "ARN of the Lambda function to invoke, e.g. arn:aws:lambda:us-east-1:123456789012:function:hook."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$", var.function_arn))
    error_message = "function_arn must be a Lambda function ARN: arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]."
  }
}

variable "function_name" {
  description = "Name of the same Lambda function (the one function_arn names)."
  type        = string
}
