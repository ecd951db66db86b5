variable "region" {
  description = "AWS region of the function, the topic, the bucket and the rule."
  type        = string
  default     = "us-east-1"
}

variable "function_name" {
  description = "Name of the Lambda function every trigger invokes."
  type        = string
}

variable "function_arn" {
  description = "ARN of the same function (the schedule's target)."
  type        = string
}

variable "topic_arn" {
  description = "ARN of the SNS topic whose messages invoke the function."
  type        = string
}

variable "bucket" {
  description = "Name of the S3 bucket whose new objects under incoming/ invoke the function."
  type        = string
}

variable "partner_account_id" {
  description = "12-digit id of another AWS account allowed to invoke the function."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the rule's and the schedule's names."
  type        = string
  default     = "all-triggers"
}
