/**
 * AWS routers: Application Load Balancer weighted target groups ({@code alb}) and Lambda alias
 * routing ({@code lambda}), through the AWS SDK over the controller's guarded HTTP client.
 */
@NullMarked
package dev.aviary.controller.routing.aws;

import org.jspecify.annotations.NullMarked;
